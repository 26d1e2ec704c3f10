package io.artsore.operator.standin;

import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** A client uploading small files one after the other, remembering what was acknowledged. */
final class UploadLoad {
    /** One upload; the file id, or an exception saying why it was refused. */
    interface Upload {
        String send(byte[] content) throws Exception;
    }

    private final Upload upload;
    private final Map<String, byte[]> acknowledged = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> refusals = new ConcurrentHashMap<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Thread thread;

    UploadLoad(Upload upload) {
        this.upload = upload;
        this.thread = new Thread(this::run, "standin-load");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    void stop() throws InterruptedException {
        stop.set(true);
        thread.join(60_000);
    }

    Map<String, byte[]> acknowledged() {
        return acknowledged;
    }

    String summary() {
        return acknowledged.size() + " acknowledged, refused or failed: " + refusals;
    }

    private void run() {
        Random random = new Random(42);
        while (!stop.get()) {
            byte[] content = new byte[4096];
            random.nextBytes(content);
            try {
                acknowledged.put(upload.send(content), content);
            } catch (Exception e) {
                String reason = e.getMessage() != null && e.getMessage().startsWith("HTTP ") ? e.getMessage()
                        : e.getClass().getSimpleName();
                refusals.computeIfAbsent(reason, r -> new AtomicInteger()).incrementAndGet();
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
