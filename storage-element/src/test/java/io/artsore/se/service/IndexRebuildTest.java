package io.artsore.se.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.artsore.se.domain.FileMetadata;
import io.artsore.se.domain.FileStatus;
import io.artsore.se.storage.attr.AttrCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link StorageEngine#rebuildIndex}: the disk wins for untouched files, writes made during the scan win for theirs. */
class IndexRebuildTest {
    @TempDir
    Path root;

    @Test
    void rebuildAdoptsTheDiskAndKeepsWritesMadeWhileScanning() throws Exception {
        try (StorageEngine e = StorageEngine.open(TestEngines.config(root), Clock.systemUTC())) {
            FileMetadata removedBehindOurBack = StorageEngineTest.upload(e, "a.txt", "aaa");
            FileMetadata deletedDuringScan = StorageEngineTest.upload(e, "b.txt", "bbbb");
            FileMetadata untouched = StorageEngineTest.upload(e, "c.txt", "c");
            // changed on disk without the engine: the index does not know yet
            Files.delete(Path.of(e.contentPath(removedBehindOurBack) + AttrCodec.SUFFIX));
            assertThat(e.find(removedBehindOurBack.fileId())).isPresent();

            AtomicReference<FileMetadata> uploadedDuringScan = new AtomicReference<>();
            e.rebuildIndex(() -> {
                List<FileMetadata> scanned = new ArrayList<>(DiskTruth.scan(root.resolve("data")).files.values());
                // writes racing with the scan, after it read the disk: the scan result is stale for them
                uploadedDuringScan.set(StorageEngineTest.upload(e, "d.txt", "dd"));
                e.softDelete(deletedDuringScan.fileId());
                assertThat(e.find(uploadedDuringScan.get().fileId())).as("reads see live writes").isPresent();
                return scanned;
            });

            assertThat(e.find(removedBehindOurBack.fileId())).as("gone from disk → gone from index").isEmpty();
            assertThat(e.find(uploadedDuringScan.get().fileId())).as("upload during scan kept").isPresent();
            assertThat(e.find(deletedDuringScan.fileId()).orElseThrow().status()).isEqualTo(FileStatus.DELETED);
            assertThat(e.find(untouched.fileId())).contains(untouched);
            assertThat(e.stats()).isEqualTo(DiskTruth.scan(root.resolve("data")).stats());
            assertThat(e.capacity().usedBytes()).isEqualTo(4 + 1 + 2);

            // writes after the rebuild go to the new index
            e.softDelete(untouched.fileId());
            assertThat(e.stats().deleted()).isEqualTo(2);
        }
    }

    /**
     * L12 of the security review: what another replica wrote while the scan ran, and this replica learnt through
     * {@link StorageEngine#reloadFromDisk} (its journal), must survive the swap; so must a file it saw purged.
     */
    @Test
    void filesAnotherReplicaChangedWhileTheScanRanKeepWhatThisReplicaLearnt() throws Exception {
        Path data = root.resolve("data");
        try (StorageEngine e = StorageEngine.open(TestEngines.config(root), Clock.systemUTC());
             StorageEngine other = StorageEngine.open(
                     TestEngines.config(root, Map.of("SE_WAL_DIR", root.resolve("wal-other").toString())),
                     Clock.systemUTC())) {
            FileMetadata purgedElsewhere = StorageEngineTest.upload(e, "a.txt", "aaa");
            other.reloadFromDisk(purgedElsewhere.fileId());
            AtomicReference<FileMetadata> writtenElsewhere = new AtomicReference<>();
            e.rebuildIndex(() -> {
                List<FileMetadata> scanned = new ArrayList<>(DiskTruth.scan(data).files.values());
                writtenElsewhere.set(StorageEngineTest.upload(other, "b.txt", "bb"));
                e.reloadFromDisk(writtenElsewhere.get().fileId());
                other.softDelete(purgedElsewhere.fileId());
                other.purge(purgedElsewhere.fileId());
                e.reloadFromDisk(purgedElsewhere.fileId());
                return scanned;
            });

            assertThat(e.find(writtenElsewhere.get().fileId())).as("learnt during the scan, kept").isPresent();
            assertThat(e.find(purgedElsewhere.fileId())).as("seen purged during the scan, gone").isEmpty();
            assertThat(e.list(null, 0, 10).items()).extracting(FileMetadata::fileId, FileMetadata::status)
                    .containsExactly(tuple(purgedElsewhere.fileId(), FileStatus.DELETED),
                            tuple(writtenElsewhere.get().fileId(), FileStatus.ACTIVE));
        }
    }

    @Test
    void aFailedScanLeavesTheIndexAsItWas() throws Exception {
        try (StorageEngine e = StorageEngine.open(TestEngines.config(root), Clock.systemUTC())) {
            FileMetadata m = StorageEngineTest.upload(e, "a.txt", "aaa");
            assertThatThrownBy(() -> e.rebuildIndex(() -> {
                throw new IOException("disk gone");
            })).isInstanceOf(IOException.class).hasMessage("disk gone");
            assertThat(e.find(m.fileId())).contains(m);
            StorageEngineTest.upload(e, "b.txt", "b");
            assertThat(e.stats().active()).isEqualTo(2);
        }
    }
}
