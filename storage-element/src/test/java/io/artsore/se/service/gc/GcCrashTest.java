package io.artsore.se.service.gc;

import static org.assertj.core.api.Assertions.assertThat;

import io.artsore.se.domain.FileMetadata;
import io.artsore.se.domain.FileStatus;
import io.artsore.se.metrics.SeMetrics;
import io.artsore.se.service.DiskTruth;
import io.artsore.se.service.StorageEngine;
import io.artsore.se.service.TestEngines;
import io.artsore.se.storage.CrashPoints;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A GC run killed mid-way in a real child JVM (halted at a crash point inside marking or purging) leaves a
 * state that recovery makes consistent and the next GC run finishes; active files are never touched.
 */
class GcCrashTest {
    @TempDir
    Path root;

    @ParameterizedTest
    @ValueSource(strings = {"expire.wal-begun", "expire.attr-durable", "purge.wal-begun", "purge.attr-removed",
            "purge.data-removed", "purge.wal-settled"})
    void crashDuringGcThenTheNextRunFinishes(String crashPoint) throws Exception {
        Instant start = Instant.now();
        Set<UUID> due = new HashSet<>();
        Set<UUID> active = new HashSet<>();
        try (StorageEngine e = StorageEngine.open(TestEngines.config(root), Clock.fixed(start, ZoneOffset.UTC))) {
            for (int i = 0; i < 4; i++) {
                due.add(GcFixtures.upload(e, "temp" + i + ".bin", 100 + i, 1).fileId());
                active.add(GcFixtures.upload(e, "keep" + i + ".bin", 50, 30).fileId());
                FileMetadata deleted = GcFixtures.upload(e, "del" + i + ".bin", 10, 30);
                e.softDelete(deleted.fileId());
                due.add(deleted.fileId());
            }
        }
        Instant later = start.plus(Duration.ofDays(2));
        Process child = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx96m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Dse.crashpoint=" + crashPoint,
                "-cp", System.getProperty("java.class.path"), GcCrashChild.class.getName(),
                root.toString(), Long.toString(later.toEpochMilli())))
                .redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as("halted at %s; output %s", crashPoint, output)
                .isEqualTo(CrashPoints.EXIT_STATUS);

        Clock clock = Clock.fixed(later, ZoneOffset.UTC);
        try (StorageEngine e = StorageEngine.open(TestEngines.config(root), clock)) {
            assertThat(e.startupReport().attrFailures()).isEmpty();
            try (var wal = Files.list(root.resolve("wal"))) {
                assertThat(wal).as("WAL settled by recovery").isEmpty();
            }
            DiskTruth afterCrash = DiskTruth.scan(root.resolve("data"));
            assertThat(afterCrash.tempFiles).isEmpty();
            assertThat(afterCrash.otherFiles).as("no half-purged data").isEmpty();
            assertThat(e.stats()).isEqualTo(afterCrash.stats());
            for (UUID id : active) {
                assertThat(e.find(id).orElseThrow().status()).isEqualTo(FileStatus.ACTIVE);
            }
            // a purge the crash interrupted (and recovery finished) keeps the file's place in the list order as a
            // tombstone, like every purge before it: a registry sync paging across the restart skips nothing
            Set<UUID> listed = new HashSet<>();
            e.list(null, 0, 100).items().forEach(m -> listed.add(m.fileId()));
            assertThat(listed).as("listed after recovery").containsAll(active).containsAll(due);

            GarbageCollector.Result result = new GarbageCollector(e, clock, Duration.ZERO, Duration.ZERO,
                    new SeMetrics()).run();
            assertThat(result.failed()).isZero();
            List<UUID> left = new ArrayList<>();
            e.forEachFile(m -> left.add(m.fileId()));
            assertThat(left).containsExactlyInAnyOrderElementsOf(active);
            DiskTruth finished = DiskTruth.scan(root.resolve("data"));
            assertThat(finished.files.keySet()).containsExactlyInAnyOrderElementsOf(active);
            assertThat(finished.otherFiles).isEmpty();
            assertThat(e.stats()).isEqualTo(finished.stats());
            assertThat(e.capacity().usedBytes()).isEqualTo(50L * active.size());
            assertThat(due).doesNotContainAnyElementsOf(left);
        }
    }
}
