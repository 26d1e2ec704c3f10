package io.artsore.se.service.gc;

import static org.assertj.core.api.Assertions.assertThat;

import io.artsore.se.domain.FileMetadata;
import io.artsore.se.domain.FileStatus;
import io.artsore.se.metrics.SeMetrics;
import io.artsore.se.service.DiskTruth;
import io.artsore.se.service.StorageEngine;
import io.artsore.se.service.TestEngines;
import io.artsore.se.storage.attr.AttrCodec;
import io.artsore.se.testing.MutableClock;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GC with a hand-moved clock: expiry marking, grace periods, physical removal, counters and capacity. */
class GarbageCollectorTest {
    static final Duration GRACE_DELETED = Duration.ofHours(24);
    static final Duration GRACE_EXPIRED = Duration.ofHours(2);

    @TempDir
    Path root;
    // attr.json mtimes are real time, so the test clock starts at the real present
    final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    final SeMetrics metrics = new SeMetrics();
    StorageEngine engine;
    GarbageCollector gc;

    @BeforeEach
    void open() throws Exception {
        engine = StorageEngine.open(TestEngines.config(root), clock);
        gc = new GarbageCollector(engine, clock, GRACE_DELETED, GRACE_EXPIRED, metrics);
    }

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void expiredFilesAreMarkedThenRemovedAfterTheirGraceWhileActiveFilesStayUntouched() throws Exception {
        FileMetadata shortLived = GcFixtures.upload(engine, "short.bin", 1000, 1);
        FileMetadata longLived = GcFixtures.upload(engine, "long.bin", 300, 30);
        byte[] longAttr = Files.readAllBytes(attr(longLived));
        assertThat(engine.capacity().usedBytes()).isEqualTo(1300);

        assertThat(gc.run()).isEqualTo(new GarbageCollector.Result(0, 0, 0));

        clock.advance(Duration.ofDays(1)); // exactly at expires_at
        assertThat(engine.find(shortLived.fileId()).orElseThrow().isReadableAt(clock.instant()))
                .as("hidden from download before any GC run").isFalse();
        assertThat(gc.run()).isEqualTo(new GarbageCollector.Result(1, 0, 0));
        assertThat(engine.find(shortLived.fileId()).orElseThrow().status()).isEqualTo(FileStatus.EXPIRED);
        assertThat(AttrCodec.read(attr(shortLived), root.resolve("data")).status()).isEqualTo(FileStatus.EXPIRED);
        assertThat(engine.stats().expired()).isEqualTo(1);
        assertThat(engine.capacity().usedBytes()).as("expired files still occupy space").isEqualTo(1300);

        clock.advance(GRACE_EXPIRED.minusSeconds(1));
        assertThat(gc.run()).isEqualTo(new GarbageCollector.Result(0, 0, 0));
        assertThat(Files.exists(engine.contentPath(shortLived))).isTrue();

        clock.advance(Duration.ofSeconds(1)); // grace counted from expires_at
        assertThat(gc.run()).isEqualTo(new GarbageCollector.Result(0, 1, 0));
        assertThat(engine.find(shortLived.fileId())).isEmpty();
        assertThat(Files.exists(engine.contentPath(shortLived))).isFalse();
        assertThat(Files.exists(attr(shortLived))).isFalse();
        assertThat(engine.stats().total()).isEqualTo(1);
        assertThat(engine.stats().active()).isEqualTo(1);
        assertThat(engine.capacity().usedBytes()).isEqualTo(300);
        assertThat(engine.capacity().availableBytes()).isEqualTo(engine.capacity().totalBytes() - 300);

        assertThat(Files.readAllBytes(attr(longLived))).as("active file untouched").isEqualTo(longAttr);
        assertThat(engine.find(longLived.fileId()).orElseThrow().status()).isEqualTo(FileStatus.ACTIVE);
        assertThat(DiskTruth.scan(root.resolve("data")).stats()).isEqualTo(engine.stats());

        String scrape = scrape();
        assertThat(scrape).contains("se_gc_runs_total 4.0", "se_gc_files_expired_total 1.0",
                "se_gc_files_deleted_total 1.0", "se_gc_duration_seconds_count 4");
    }

    @Test
    void expiredFilesWithZeroGraceAreRemovedInTheRunThatMarksThem() throws Exception {
        gc = new GarbageCollector(engine, clock, GRACE_DELETED, Duration.ZERO, metrics);
        FileMetadata m = GcFixtures.upload(engine, "a.bin", 10, 1);
        clock.advance(Duration.ofDays(1).plusMinutes(1));
        assertThat(gc.run()).isEqualTo(new GarbageCollector.Result(1, 1, 0));
        assertThat(engine.find(m.fileId())).isEmpty();
        assertThat(engine.stats().total()).isZero();
    }

    @Test
    void deletedFilesAreRemovedAfterTheirGraceCountedFromTheDeletion() throws Exception {
        FileMetadata deleted = GcFixtures.upload(engine, "gone.bin", 500, 30);
        FileMetadata kept = GcFixtures.upload(engine, "kept.bin", 70, 30);
        engine.softDelete(deleted.fileId());
        Instant deletedAt = Files.getLastModifiedTime(attr(deleted)).toInstant();
        assertThat(engine.stats().deleted()).isEqualTo(1);
        assertThat(engine.capacity().usedBytes()).isEqualTo(570);

        clock.set(deletedAt.plus(GRACE_DELETED).minusSeconds(5));
        assertThat(gc.run()).isEqualTo(new GarbageCollector.Result(0, 0, 0));
        assertThat(engine.find(deleted.fileId()).orElseThrow().status()).isEqualTo(FileStatus.DELETED);

        clock.set(deletedAt.plus(GRACE_DELETED).plusSeconds(1));
        assertThat(gc.run()).isEqualTo(new GarbageCollector.Result(0, 1, 0));
        assertThat(engine.find(deleted.fileId())).isEmpty();
        assertThat(Files.exists(engine.contentPath(deleted))).isFalse();
        assertThat(Files.exists(attr(deleted))).isFalse();
        assertThat(engine.stats().deleted()).isZero();
        assertThat(engine.stats().active()).isEqualTo(1);
        assertThat(engine.capacity().usedBytes()).isEqualTo(70);
        assertThat(engine.find(kept.fileId())).isPresent();
        assertThat(DiskTruth.scan(root.resolve("data")).stats()).isEqualTo(engine.stats());
    }

    @Test
    void anInterruptedRunStopsBetweenFilesAndTheNextRunFinishes() throws Exception {
        for (int i = 0; i < 5; i++) {
            GcFixtures.upload(engine, "f" + i + ".bin", 10, 1);
        }
        clock.advance(Duration.ofDays(2).plus(GRACE_EXPIRED));
        Thread.currentThread().interrupt();
        try {
            assertThat(gc.run()).isEqualTo(new GarbageCollector.Result(0, 0, 0));
        } finally {
            assertThat(Thread.interrupted()).isTrue();
        }
        assertThat(gc.run()).isEqualTo(new GarbageCollector.Result(5, 5, 0));
        assertThat(engine.stats().total()).isZero();
    }

    private Path attr(FileMetadata m) {
        return Path.of(engine.contentPath(m) + AttrCodec.SUFFIX);
    }

    private String scrape() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        metrics.write(out);
        return out.toString(StandardCharsets.UTF_8);
    }
}
