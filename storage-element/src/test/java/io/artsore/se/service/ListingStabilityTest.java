package io.artsore.se.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.artsore.se.domain.FileMetadata;
import io.artsore.se.domain.FileStatus;
import io.artsore.se.metrics.SeMetrics;
import io.artsore.se.service.gc.GarbageCollector;
import io.artsore.se.storage.attr.AttrCodec;
import io.artsore.se.storage.index.IndexPage;
import io.artsore.se.storage.tombstone.TombstoneFiles;
import io.artsore.se.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Offset paging stays stable while files are purged (GC), removed behind the engine's back and found by a
 * rebuild, and across a restart: a purged file keeps its place as a {@code deleted} tombstone for
 * SE_LIST_TOMBSTONE_TTL, then leaves the listing.
 */
class ListingStabilityTest {
    private static final Duration TTL = Duration.ofMinutes(30);

    @TempDir
    Path root;
    // attr.json mtimes (GC's deletion time) are real time, so the test clock starts at the real present
    final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));

    private StorageEngine open() throws Exception {
        return StorageEngine.open(TestEngines.config(root, Map.of("SE_LIST_TOMBSTONE_TTL", "30m")), clock);
    }

    private GarbageCollector gcWithoutGrace(StorageEngine e) {
        return new GarbageCollector(e, clock, Duration.ZERO, Duration.ZERO, new SeMetrics());
    }

    @Test
    void aPurgedFileKeepsItsPlaceAcrossARestartUntilTheTtlHasPassed() throws Exception {
        List<FileMetadata> files = new ArrayList<>();
        List<FileMetadata> before;
        try (StorageEngine e = open()) {
            for (int i = 0; i < 30; i++) {
                files.add(StorageEngineTest.upload(e, "f" + i + ".txt", "content " + i));
            }
            before = e.list(null, 0, 100).items();
            for (int i = 0; i < 30; i += 3) {
                e.softDelete(files.get(i).fileId());
            }
            clock.advance(Duration.ofMinutes(1));
            assertThat(gcWithoutGrace(e).run().purged()).isEqualTo(10);

            assertListedAsBeforeWithPurgedDeleted(e, before, files);
            assertThat(e.find(files.get(0).fileId())).as("a purged file is not found").isEmpty();
            assertThat(e.stats().deleted()).as("counters count files, not tombstones").isZero();
            assertThat(e.stats().active()).isEqualTo(20);
            assertThat(Files.exists(Path.of(e.contentPath(files.get(0)) + AttrCodec.SUFFIX))).isFalse();
        }
        try (StorageEngine e = open()) {
            assertListedAsBeforeWithPurgedDeleted(e, before, files);
            assertThat(e.stats().deleted()).isZero();

            clock.advance(TTL.plusSeconds(1));
            gcWithoutGrace(e).run();
            assertThat(e.list(null, 0, 100).total()).as("the TTL passed: tombstones gone").isEqualTo(20);
            assertThat(tombstoneFiles()).isEmpty();
        }
        try (StorageEngine e = open()) {
            assertThat(e.list(null, 0, 100).total()).isEqualTo(20);
        }
    }

    @Test
    void tombstonesOlderThanTheTtlAreNotLoadedAtStartup() throws Exception {
        try (StorageEngine e = open()) {
            FileMetadata m = StorageEngineTest.upload(e, "a.txt", "a");
            e.softDelete(m.fileId());
            clock.advance(Duration.ofMinutes(1));
            gcWithoutGrace(e).run();
            assertThat(e.list(null, 0, 10).total()).isEqualTo(1);
        }
        clock.advance(TTL.plusSeconds(1));
        try (StorageEngine e = open()) {
            assertThat(e.list(null, 0, 10).total()).isZero();
        }
    }

    /**
     * The Admin Module's sync: pages of 50 with offset += len(items) while the oldest files are deleted and purged,
     * a file vanishes behind the engine's back, a rebuild (reconciliation) swaps the index and new files arrive.
     */
    @Test
    void aSyncWhileGcPurgesAndARebuildRunsSeesEveryFileThatExistedThroughout() throws Exception {
        try (StorageEngine e = open()) {
            List<FileMetadata> files = new ArrayList<>();
            for (int i = 0; i < 600; i++) {
                files.add(StorageEngineTest.upload(e, "f" + i + ".bin", "x" + i));
            }
            GarbageCollector gc = gcWithoutGrace(e);
            FileMetadata vanishing = files.get(300);
            List<UUID> seen = new ArrayList<>();
            int page = 0;
            for (long offset = 0; ; page++) {
                IndexPage p = e.list(null, offset, 50);
                if (p.items().isEmpty()) {
                    break;
                }
                p.items().forEach(m -> seen.add(m.fileId()));
                offset += p.items().size();
                for (int k = page * 10; k < page * 10 + 10 && k < 100; k++) {
                    e.softDelete(files.get(k).fileId());
                }
                clock.advance(Duration.ofMinutes(1));
                gc.run();
                StorageEngineTest.upload(e, "new" + page + ".bin", "n");
                if (page == 3) {
                    Files.delete(Path.of(e.contentPath(vanishing) + AttrCodec.SUFFIX));
                    e.rebuildIndex(() -> DiskTruth.scan(root.resolve("data")).files.values());
                }
            }
            assertThat(seen).doesNotHaveDuplicates();
            assertThat(seen).containsAll(files.stream().map(FileMetadata::fileId).toList());
            assertThat(e.find(vanishing.fileId())).isEmpty();
            assertThat(e.stats().active()).isEqualTo(600 - 100 - 1 + page);
        }
    }

    private static void assertListedAsBeforeWithPurgedDeleted(StorageEngine e, List<FileMetadata> before,
                                                              List<FileMetadata> files) {
        List<FileMetadata> expected = before.stream().map(m -> files.indexOf(m) % 3 == 0
                ? m.withStatus(FileStatus.DELETED) : m).toList();
        IndexPage page = e.list(null, 0, 100);
        assertThat(page.items()).isEqualTo(expected);
        assertThat(page.total()).isEqualTo(30);
        assertThat(e.list(FileStatus.DELETED, 0, 100).total()).isEqualTo(10);
    }

    private List<Path> tombstoneFiles() throws Exception {
        try (Stream<Path> s = Files.list(root.resolve("data").resolve(TombstoneFiles.DIR))) {
            return s.toList();
        }
    }
}
