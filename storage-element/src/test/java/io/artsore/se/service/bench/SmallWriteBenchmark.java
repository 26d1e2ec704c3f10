package io.artsore.se.service.bench;

import io.artsore.se.domain.FileMetadata;
import io.artsore.se.service.PendingUpload;
import io.artsore.se.service.StorageEngine;
import io.artsore.se.service.TestEngines;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;

/**
 * Manual measurement of small writes through {@link StorageEngine} (no HTTP, no TLS): 4 KiB uploads, then
 * metadata updates and soft deletes of the uploaded files, with 1 and 32 threads on a real disk. Counts the
 * fsyncs each write makes with JFR's {@code jdk.FileForce} events (file vs directory). Not a test: nothing is
 * asserted, and it must run on the disk being judged (not tmpfs). Run from {@code storage-element/}:
 * <pre>
 * ../mvnw -B -ntp -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test
 * java -cp target/test-classes:target/classes:$(cat target/bench.cp) io.artsore.se.service.bench.SmallWriteBenchmark \
 *     target/small-write-bench 10 1,32
 * </pre>
 */
public final class SmallWriteBenchmark {
    private static final int SIZE = 4096;

    private SmallWriteBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path base = Path.of(args.length > 0 ? args[0] : "target/small-write-bench").toAbsolutePath();
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int[] threadCounts = Arrays.stream((args.length > 2 ? args[2] : "1,32").split(","))
                .mapToInt(Integer::parseInt).toArray();
        System.out.printf("%-8s %7s %9s %9s %9s %10s %9s%n", "write", "threads", "ops", "ops/s", "p50 ms",
                "p99 ms", "fsync/op");
        for (int threads : threadCounts) {
            Path root = base.resolve("t" + threads + "-" + System.nanoTime());
            try (StorageEngine engine = StorageEngine.open(TestEngines.config(root, "edit", 1 << 20, 1L << 40),
                    Clock.systemUTC())) {
                List<List<UUID>> uploaded = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    uploaded.add(new ArrayList<>());
                }
                run("warmup", threads, Math.max(2, seconds / 3), t -> upload(engine, uploaded.get(t)), false);
                run("upload", threads, seconds, t -> upload(engine, uploaded.get(t)), true);
                int[] cursor = new int[threads];
                run("update", threads, seconds, t -> {
                    List<UUID> mine = uploaded.get(t);
                    engine.updateMetadata(mine.get(cursor[t]++ % mine.size()), "d" + cursor[t], null);
                    return true;
                }, true);
                int[] next = new int[threads];
                run("delete", threads, seconds, t -> {
                    List<UUID> mine = uploaded.get(t);
                    if (next[t] == mine.size()) {
                        return false; // every file of this thread is deleted
                    }
                    engine.softDelete(mine.get(next[t]++));
                    return true;
                }, true);
            } finally {
                deleteTree(root);
            }
        }
    }

    private interface Write {
        /** One write by {@code thread}; false when it has nothing left to do. */
        boolean run(int thread) throws Exception;
    }

    private static boolean upload(StorageEngine engine, List<UUID> into) throws IOException {
        byte[] data = new byte[SIZE];
        new Random().nextBytes(data);
        try (PendingUpload u = engine.beginUpload("bench", data.length)) {
            u.writeContent("small.bin", "application/octet-stream", new ByteArrayInputStream(data));
            FileMetadata m = u.commit(null, null, null);
            into.add(m.fileId());
        }
        return true;
    }

    private static void run(String name, int threads, int seconds, Write write, boolean print) throws Exception {
        AtomicLong forces = new AtomicLong();
        double elapsed;
        long[][] latencies = new long[threads][];
        int[] counts = new int[threads];
        try (RecordingStream forceEvents = new RecordingStream()) {
            forceEvents.enable("jdk.FileForce").withThreshold(Duration.ZERO).withoutStackTrace();
            forceEvents.onEvent("jdk.FileForce", (RecordedEvent e) -> forces.incrementAndGet());
            forceEvents.startAsync();
            long began = System.nanoTime();
            long end = began + seconds * 1_000_000_000L;
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int me = t;
                latencies[t] = new long[1 << 16];
                workers.add(Thread.ofPlatform().start(() -> {
                    try {
                        while (System.nanoTime() < end && counts[me] < latencies[me].length) {
                            long start = System.nanoTime();
                            if (!write.run(me)) {
                                break;
                            }
                            latencies[me][counts[me]++] = System.nanoTime() - start;
                        }
                    } catch (Exception ex) {
                        throw new IllegalStateException(ex);
                    }
                }));
            }
            for (Thread w : workers) {
                w.join();
            }
            elapsed = (System.nanoTime() - began) / 1e9;
            forceEvents.stop(); // delivers every event recorded so far
        }
        long[] all = new long[Arrays.stream(counts).sum()];
        int at = 0;
        for (int t = 0; t < threads; t++) {
            System.arraycopy(latencies[t], 0, all, at, counts[t]);
            at += counts[t];
        }
        Arrays.sort(all);
        if (print && all.length > 0) {
            System.out.printf("%-8s %7d %9d %9.1f %9.2f %10.2f %9.2f%n", name, threads, all.length,
                    all.length / elapsed, all[all.length / 2] / 1e6, all[(int) (all.length * 0.99)] / 1e6,
                    forces.get() / (double) all.length);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (Files.exists(root)) {
            try (Stream<Path> s = Files.walk(root)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
