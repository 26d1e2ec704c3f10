package io.artsore.se.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.artsore.se.domain.ErrorCode;
import io.artsore.se.domain.FileMetadata;
import io.artsore.se.domain.FileStatus;
import io.artsore.se.domain.SeException;
import io.artsore.se.storage.attr.AtomicFiles;
import io.artsore.se.storage.attr.AttrCodec;
import io.artsore.se.storage.index.FileIndex;
import io.artsore.se.storage.index.FsClock;
import io.artsore.se.storage.index.IndexCheckpoint;
import io.artsore.se.storage.filestore.DiskSpace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link StorageEngine#writeIndexCheckpoint}: a restart from it gives the index a full recount gives. */
class EngineCheckpointTest {
    @TempDir
    Path root;

    @Test
    void aRestartAfterACleanShutdownTakesEveryShardFromTheCheckpoint() throws Exception {
        List<FileMetadata> files = new ArrayList<>();
        try (StorageEngine e = open()) {
            for (int i = 0; i < 30; i++) {
                files.add(StorageEngineTest.upload(e, "f" + i + ".txt", "content " + i));
            }
            e.softDelete(files.get(0).fileId());
            e.updateMetadata(files.get(1).fileId(), "changed", List.of("x"));
            e.purge(files.get(2).fileId());
            FsClock.awaitTick(root);
            assertThat(e.writeIndexCheckpoint(false, Duration.ZERO)).isPresent();
        }

        try (StorageEngine e = open()) {
            assertThat(e.startupReport().indexCheckpoint().status()).isEqualTo("used");
            assertThat(e.startupReport().indexCheckpoint().dirsRescanned()).isZero();
            assertThat(e.startupReport().indexCheckpoint().entriesFromCheckpoint()).isEqualTo(29);
            assertSameAsRecount(e);
            assertThat(e.list(null, 0, 100).items()).as("the purged file keeps its place as a tombstone")
                    .extracting(FileMetadata::fileId).contains(files.get(2).fileId());
        }
    }

    @Test
    void aRestartAfterACrashReadsWhatChangedSinceTheLastCheckpoint() throws Exception {
        StorageEngine crashed = open();
        List<FileMetadata> files = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            files.add(StorageEngineTest.upload(crashed, "f" + i + ".txt", "content " + i));
        }
        FsClock.awaitTick(root);
        crashed.writeIndexCheckpoint(false, Duration.ZERO);
        FsClock.awaitTick(root);
        // written after the last periodic checkpoint, then the process dies (no checkpoint at shutdown)
        FileMetadata later = StorageEngineTest.upload(crashed, "later.txt", "later");
        crashed.softDelete(files.get(3).fileId());
        crashed.updateMetadata(files.get(4).fileId(), "changed", null);
        crashed.purge(files.get(5).fileId());

        try (StorageEngine e = open()) {
            assertThat(e.startupReport().indexCheckpoint().status()).isEqualTo("used");
            assertThat(e.startupReport().indexCheckpoint().dirsRescanned()).isPositive();
            assertThat(e.find(later.fileId())).isPresent();
            assertThat(e.find(files.get(5).fileId())).isEmpty();
            assertThat(e.find(files.get(4).fileId()).orElseThrow().description()).isEqualTo("changed");
            assertSameAsRecount(e);
        }
    }

    @Test
    void checkpointsTakenWhileUploadsRunHoldEveryUploadTheirMarkersShow() throws Exception {
        try (StorageEngine e = open()) {
            ExecutorService uploaders = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> running = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    int thread = t;
                    running.add(uploaders.submit(() -> {
                        for (int i = 0; i < 25; i++) {
                            StorageEngineTest.upload(e, "t" + thread + "-" + i + ".txt", "x".repeat(i + 1));
                        }
                        return null;
                    }));
                }
                while (running.stream().anyMatch(f -> !f.isDone())) {
                    e.writeIndexCheckpoint(false, Duration.ZERO);
                }
                for (Future<?> f : running) {
                    f.get();
                }
            } finally {
                uploaders.shutdown();
                assertThat(uploaders.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
            }
        }
        try (StorageEngine e = open()) {
            assertThat(e.startupReport().indexCheckpoint().status()).isEqualTo("used");
            assertThat(e.stats().total()).isEqualTo(100);
            assertSameAsRecount(e);
        }
    }

    @Test
    void aResyncFromTheCheckpointAdoptsWhatAnotherReplicaChangedOnDisk() throws Exception {
        try (StorageEngine e = open()) {
            List<FileMetadata> files = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                files.add(StorageEngineTest.upload(e, "f" + i + ".txt", "content " + i));
            }
            FsClock.awaitTick(root);
            e.writeIndexCheckpoint(false, Duration.ZERO);
            FsClock.awaitTick(root);
            // what a previous leader did on the shared disk while this replica followed
            Path attr = Path.of(e.contentPath(files.get(0)) + AttrCodec.SUFFIX);
            FileMetadata deletedThere = files.get(0).withStatus(FileStatus.DELETED);
            AtomicFiles.write(attr, AttrCodec.encode(deletedThere));
            Files.delete(Path.of(e.contentPath(files.get(1)) + AttrCodec.SUFFIX));

            assertThat(e.resyncIndexFromDisk()).containsExactlyInAnyOrder(files.get(0).fileId(), files.get(1).fileId());
            assertThat(e.find(files.get(0).fileId())).contains(deletedThere);
            assertThat(e.find(files.get(1).fileId())).isEmpty();
            assertSameAsRecount(e);
        }
    }

    @Test
    void aReconciliationKeepsDistrustingTheDirectoriesTheStartupReadFoundSuspicious() throws Exception {
        FileMetadata original;
        try (StorageEngine e = open()) {
            original = StorageEngineTest.upload(e, "a.txt", "a");
        }
        Path attr = Path.of(root.resolve("data").resolve(original.storagePath()) + AttrCodec.SUFFIX);
        Path copy = Files.createDirectories(root.resolve("data").resolve("zz-copy")).resolve(attr.getFileName());
        Files.copy(attr, copy); // its storage_path names the original's directory
        try (StorageEngine e = open()) {
            e.rebuildIndex(() -> {
                List<FileMetadata> all = new ArrayList<>();
                e.forEachFile(all::add);
                return all;
            });
            FsClock.awaitTick(root);
            e.writeIndexCheckpoint(false, Duration.ZERO);
        }
        FsClock.awaitTick(root);
        Files.delete(attr);

        try (StorageEngine e = open()) {
            assertThat(e.find(original.fileId())).contains(original);
            assertSameAsRecount(e);
        }
    }

    @Test
    void aPeriodicCheckpointIsSkippedWhenTheIndexDidNotChange() throws Exception {
        try (StorageEngine e = open()) {
            StorageEngineTest.upload(e, "a.txt", "a");
            assertThat(e.writeIndexCheckpoint(true)).isPresent();
            assertThat(e.writeIndexCheckpoint(true)).isEmpty();
            StorageEngineTest.upload(e, "b.txt", "b");
            assertThat(e.writeIndexCheckpoint(true)).isPresent();
            assertThat(e.writeIndexCheckpoint(false)).as("forced").isPresent();
        }
    }

    @Test
    void noCheckpointIsSavedWhenItWouldCrowdOutTheWal() throws Exception {
        long[] free = {StorageEngine.CHECKPOINT_WAL_RESERVE};
        try (StorageEngine e = StorageEngine.open(TestEngines.config(root), Clock.systemUTC(), path -> free[0])) {
            StorageEngineTest.upload(e, "a.txt", "a");
            assertThat(e.writeIndexCheckpoint(false)).isEmpty();
            assertThat(root.resolve("wal").resolve(IndexCheckpoint.FILE_NAME)).doesNotExist();
            free[0] += StorageEngine.CHECKPOINT_BYTES_PER_FILE;
            assertThat(e.writeIndexCheckpoint(false)).isPresent();
        }
    }

    @Test
    void aReplicaThatMayNotWriteSavesNoCheckpoint() throws Exception {
        WriteFence follower = new WriteFence() {
            @Override
            public <T> T guard(java.util.UUID fileId, Step<T> step) {
                throw new SeException(ErrorCode.LEADER_UNAVAILABLE, "not the leader");
            }
        };
        try (StorageEngine e = StorageEngine.open(TestEngines.config(root), Clock.systemUTC(), DiskSpace.real(),
                follower)) {
            StorageEngineTest.assertCode(() -> e.writeIndexCheckpoint(false), ErrorCode.LEADER_UNAVAILABLE);
        }
        assertThat(root.resolve("wal").resolve(IndexCheckpoint.FILE_NAME)).doesNotExist();
    }

    private StorageEngine open() throws Exception {
        return StorageEngine.open(TestEngines.config(root), Clock.systemUTC());
    }

    /** Same files in the same order and the same counters as an index built from every sidecar. */
    private void assertSameAsRecount(StorageEngine e) throws Exception {
        FileIndex recount = DataDirIndex.build(root.resolve("data"), Clock.systemUTC()).index();
        List<FileMetadata> expected = new ArrayList<>();
        recount.forEach(expected::add);
        List<FileMetadata> actual = new ArrayList<>();
        e.forEachFile(actual::add);
        assertThat(actual).isEqualTo(expected);
        assertThat(e.stats()).isEqualTo(recount.stats());
        assertThat(e.stats()).isEqualTo(DiskTruth.scan(root.resolve("data")).stats());
        assertThat(Files.exists(root.resolve("wal").resolve(IndexCheckpoint.FILE_NAME))).isTrue();
    }
}
