package io.artsore.se.storage.index.bench;

import io.artsore.se.domain.FileMetadata;
import io.artsore.se.domain.FileStatus;
import io.artsore.se.storage.attr.AttrCodec;
import io.artsore.se.storage.index.BuildResult;
import io.artsore.se.storage.index.FileIndex;
import io.artsore.se.storage.index.IndexBuilder;
import io.artsore.se.storage.index.TestFiles;
import java.io.IOException;
import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Index benchmark, not part of the test run. Generates N attr.json files (sharded like the storage layer,
 * realistic content; not timed), builds the index twice (first run warms the JIT, the second is reported),
 * measures retained heap per file, then page latency for pages of 1000 at random offsets.
 *
 * <p>Arguments: {@code [files (default 1000000)] [--with-data-files] [--keep]}. {@code --with-data-files}
 * also writes an empty data file next to each sidecar, as on a real volume (the scan then sees twice the
 * names). {@code --keep} leaves the generated directory in place and reuses it if the system property
 * {@code bench.dir} names one (for profiling runs); otherwise the generated files are removed at the end.
 * Run with {@code -Xmx2g}; see the index helper's report for the exact command.
 */
public final class IndexBenchmark {
    private static final int PAGE_SIZE = 1000;
    private static final int PAGE_QUERIES = 2000;

    public static void main(String[] args) throws Exception {
        int files = args.length > 0 && !args[0].startsWith("--") ? Integer.parseInt(args[0]) : 1_000_000;
        boolean withDataFiles = Arrays.asList(args).contains("--with-data-files");
        boolean keep = Arrays.asList(args).contains("--keep");
        int cores = Runtime.getRuntime().availableProcessors();
        String reuse = System.getProperty("bench.dir");
        Path dir = keep && reuse != null ? Path.of(reuse) : Files.createTempDirectory("index-bench");
        try {
            if (keep && reuse != null) {
                System.out.printf("reusing %s (%d cores)%n", dir, cores);
            } else {
                System.out.printf("generating %,d attr files%s in %s (%d cores)%n", files,
                        withDataFiles ? " and data files" : "", dir, cores);
                long t0 = System.nanoTime();
                generate(dir, files, withDataFiles, cores);
                System.out.printf("generated in %.1f s (not part of the measurement)%n", seconds(t0));
            }

            long baseline = usedHeapAfterGc();
            IndexBuilder builder = new IndexBuilder(attrFile -> AttrCodec.read(attrFile, dir));
            timedBuild("build 1 (cold JIT)", builder, dir);
            usedHeapAfterGc();
            // Same walk, reads and index work, but no JSON parsing: separates the parser's share.
            FileMetadata template = TestFiles.realistic(new Random(0), 0);
            timedBuild("build without JSON parsing", new IndexBuilder(file -> {
                Files.readAllBytes(file);
                UUID id = UUID.randomUUID();
                return new FileMetadata(id, template.originalFilename(), template.contentType(), template.size(),
                        template.checksum(), template.uploadedBy(), template.uploadedAt(), null, null,
                        template.status(), template.retentionPolicy(), null, null, template.storagePath());
            }), dir);
            usedHeapAfterGc();
            BuildResult result = timedBuild("build 2 (warm)", builder, dir);
            if (!result.failures().isEmpty() || result.index().size() != files) {
                throw new IllegalStateException("unexpected build result: " + result.failures().size()
                        + " failures, " + result.index().size() + " files");
            }
            long retained = usedHeapAfterGc() - baseline;
            System.out.printf("heap retained by the index: %,d bytes = %.0f bytes/file%n", retained,
                    (double) retained / files);

            FileIndex index = result.index();
            pageLatency(index, null);
            pageLatency(index, FileStatus.ACTIVE);
            pageLatency(index, FileStatus.DELETED);
            System.out.println(index.stats());
        } finally {
            if (keep) {
                System.out.println("kept " + dir);
            } else {
                long t1 = System.nanoTime();
                deleteRecursively(dir);
                System.out.printf("removed %s in %.1f s%n", dir, seconds(t1));
            }
        }
    }

    /**
     * Prints wall-clock throughput and the CPU time the process spent per file: on a machine shared with
     * other work the wall clock mostly measures the neighbours, CPU time per file does not.
     */
    private static BuildResult timedBuild(String label, IndexBuilder builder, Path dir) throws IOException {
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpuStart = os.getProcessCpuTime();
        long start = System.nanoTime();
        BuildResult result = builder.build(dir);
        double s = seconds(start);
        double cpuMicros = (os.getProcessCpuTime() - cpuStart) / 1e3 / result.filesScanned();
        System.out.printf("%s: %,d files in %.2f s = %,.0f files/s wall; %.1f us CPU/file (%,.0f files/s per"
                + " fully available core); load average %.1f%n", label, result.filesScanned(), s,
                result.filesScanned() / s, cpuMicros, 1e6 / cpuMicros, os.getSystemLoadAverage());
        return result;
    }

    /** Wall-clock latency, and the querying thread's CPU time, which ignores time lost to other processes. */
    private static void pageLatency(FileIndex index, FileStatus filter) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Random random = new Random(1);
        long total = index.page(filter, 0, 0).total();
        long[] wall = new long[PAGE_QUERIES];
        long[] cpu = new long[PAGE_QUERIES];
        long items = 0;
        for (int i = 0; i < PAGE_QUERIES; i++) {
            long offset = total <= PAGE_SIZE ? 0 : random.nextLong(total - PAGE_SIZE);
            long cpuStart = threads.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            items += index.page(filter, offset, PAGE_SIZE).items().size();
            wall[i] = System.nanoTime() - start;
            cpu[i] = threads.getCurrentThreadCpuTime() - cpuStart;
        }
        Arrays.sort(wall);
        Arrays.sort(cpu);
        System.out.printf("page of %d, status=%s (total %,d, %,d items read): wall p50 %.2f ms, p99 %.2f ms, max %.2f ms;"
                + " thread CPU p50 %.2f ms, p99 %.2f ms%n", PAGE_SIZE, filter == null ? "any" : filter.wireName(),
                total, items, wall[PAGE_QUERIES / 2] / 1e6, wall[PAGE_QUERIES * 99 / 100] / 1e6,
                wall[PAGE_QUERIES - 1] / 1e6, cpu[PAGE_QUERIES / 2] / 1e6, cpu[PAGE_QUERIES * 99 / 100] / 1e6);
    }

    /** 90 % active, 5 % expired, 5 % deleted; one uploader, a few content types, one upload per second. */
    private static void generate(Path dir, int files, boolean withDataFiles, int threads) throws Exception {
        for (int shard = 0; shard < 256; shard++) {
            Files.createDirectories(dir.resolve(String.format("%02x", shard)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            Future<?>[] parts = new Future<?>[threads];
            for (int t = 0; t < threads; t++) {
                int part = t;
                parts[t] = pool.submit(() -> {
                    Random random = new Random(part);
                    for (int i = part; i < files; i += threads) {
                        int roll = random.nextInt(100);
                        FileStatus status = roll < 90 ? FileStatus.ACTIVE : roll < 95 ? FileStatus.EXPIRED
                                : FileStatus.DELETED;
                        FileMetadata m = TestFiles.realistic(random, i).withStatus(status);
                        Path data = dir.resolve(m.storagePath());
                        Files.write(data.resolveSibling(data.getFileName() + AttrCodec.SUFFIX), AttrCodec.encode(m));
                        if (withDataFiles) {
                            Files.createFile(data);
                        }
                    }
                    return null;
                });
            }
            for (Future<?> part : parts) {
                part.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Deletes the generated tree, one shard directory per task: unlinks wait on the disk, so overlap them. */
    private static void deleteRecursively(Path dir) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (Stream<Path> top = Files.list(dir)) {
            List<Future<?>> deletions = new ArrayList<>();
            for (Path child : top.toList()) {
                deletions.add(pool.submit(() -> {
                    try (Stream<Path> all = Files.walk(child)) {
                        for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                            Files.delete(p);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> deletion : deletions) {
                deletion.get();
            }
        } finally {
            pool.shutdown();
        }
        Files.delete(dir);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
