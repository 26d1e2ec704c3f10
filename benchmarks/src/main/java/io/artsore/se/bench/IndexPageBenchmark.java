package io.artsore.se.bench;

import io.artsore.se.domain.FileMetadata;
import io.artsore.se.domain.FileStatus;
import io.artsore.se.domain.RetentionPolicy;
import io.artsore.se.storage.index.FileIndex;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The list endpoint's index query ({@link FileIndex#page}): pages of 1000 at a random offset (what a registry
 * sync paging through the whole store costs on average) and at the end of the store (the worst case of an
 * O(offset) index), in a store of {@code files} entries. Result: microseconds per page.
 *
 * <p>{@code tombstonesPerMille}: that share of the files is then purged, leaving tombstones in the list order
 * (what a GC run leaves for SE_LIST_TOMBSTONE_TTL); compare the runs with 0 and 100 of the same invocation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx3g")
public class IndexPageBenchmark {
    private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @Param({"1000000"})
    public int files;

    @Param({"0", "100"})
    public int tombstonesPerMille;

    private FileIndex index;

    @Setup
    public void setUp() {
        index = new FileIndex();
        Instant base = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < files; i++) {
            UUID id = UUID.randomUUID();
            index.put(new FileMetadata(id, "bench-" + i + ".bin", "application/octet-stream", 4096, EMPTY_SHA256,
                    "bench", base.plusMillis(i), null, null, FileStatus.ACTIVE, RetentionPolicy.PERMANENT, null, null,
                    id.toString().substring(0, 2) + "/bench-" + i + ".bin"));
            if (i % 1000 < tombstonesPerMille) {
                index.tombstone(id, i);
            }
        }
    }

    @Benchmark
    public Object pageAtRandomOffset() {
        return index.page(null, ThreadLocalRandom.current().nextInt(Math.max(1, files - 1000)), 1000);
    }

    @Benchmark
    public Object lastPage() {
        return index.page(null, files - 1000, 1000);
    }

    @Benchmark
    public Object lastPageFilteredByStatus() {
        return index.page(FileStatus.ACTIVE, files - 1000, 1000);
    }
}
