package io.artsore.operator.standin;

import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** A client uploading small files one after the other, remembering what was acknowledged. */
final class UploadLoad {
    /** One upload; the file id, or null when it was refused. */
    interface Upload {
        String send(byte[] content) throws Exception;
    }

    private final Upload upload;
    private final Map<String, byte[]> acknowledged = new ConcurrentHashMap<>();
    private final AtomicInteger refused = new AtomicInteger();
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
        return acknowledged.size() + " acknowledged, " + refused.get() + " refused or failed";
    }

    private void run() {
        Random random = new Random(42);
        while (!stop.get()) {
            byte[] content = new byte[4096];
            random.nextBytes(content);
            try {
                String id = upload.send(content);
                if (id != null) {
                    acknowledged.put(id, content);
                } else {
                    refused.incrementAndGet();
                }
            } catch (Exception e) {
                refused.incrementAndGet();
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
