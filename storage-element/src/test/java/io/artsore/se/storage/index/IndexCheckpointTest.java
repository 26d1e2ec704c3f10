package io.artsore.se.storage.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.artsore.se.domain.FileMetadata;
import io.artsore.se.domain.FileStatus;
import io.artsore.se.storage.attr.AtomicFiles;
import io.artsore.se.storage.attr.AttrCodec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A start from a checkpoint must give the index a full recount gives, in every case: nothing changed, sidecars
 * added, removed or rewritten by another process while the element was down, directories added or removed, a
 * damaged checkpoint and one that is not this element's.
 */
class IndexCheckpointTest {
    private static final String STORAGE_ID = "se-test";

    @TempDir
    Path root;
    private Path dataDir;
    private Path file;
    private final Random random = new Random(23);
    private final List<FileMetadata> written = new ArrayList<>();
    private int next;

    @BeforeEach
    void store() throws IOException {
        dataDir = Files.createDirectories(root.resolve("data"));
        file = root.resolve("wal").resolve(IndexCheckpoint.FILE_NAME);
        Files.createDirectories(file.getParent());
        for (int i = 0; i < 600; i++) { // sharded, several entries per shard
            written.add(writeSidecar(TestFiles.realistic(random, next++).withStatus(FileStatus.values()[i % 3])));
        }
        for (int i = 0; i < 20; i++) { // flat, in the data dir itself, and one level deeper than the shards
            FileMetadata flat = withPath(TestFiles.realistic(random, next++), null);
            written.add(writeSidecar(flat));
            written.add(writeSidecar(withPath(TestFiles.realistic(random, next++), "ab/nested")));
        }
        Files.writeString(dataDir.resolve("mode.json"), "{\"mode\":\"rw\"}");
        Files.createDirectories(dataDir.resolve(".tombstones")).resolve("x.attr.json").toFile().createNewFile();
    }

    @Test
    void aCleanRestartReadsNoSidecarAndGivesTheRecount() throws Exception {
        saveCheckpoint(Duration.ZERO, Set.of());

        BuildResult restored = restore();

        assertThat(restored.checkpoint().status()).isEqualTo("used");
        assertThat(restored.checkpoint().dirsRescanned()).isZero();
        assertThat(restored.filesScanned()).isZero();
        assertThat(restored.checkpoint().entriesFromCheckpoint()).isEqualTo(written.size());
        assertSameAsRecount(restored);
    }

    @Test
    void sidecarsChangedByAnotherProcessWhileDownAreReadAgain() throws Exception {
        saveCheckpoint(Duration.ZERO, Set.of());
        FsClock.awaitTick(root);
        // added, removed and rewritten (temp + rename, as every writer does) in three shards
        writeSidecar(TestFiles.realistic(random, next++));
        FileMetadata removed = written.get(1);
        Files.delete(attrOf(removed));
        FileMetadata rewritten = written.get(2);
        AtomicFiles.write(attrOf(rewritten), AttrCodec.encode(rewritten.withStatus(FileStatus.DELETED)));
        // a new shard, a new directory inside a known one, a shard removed whole, a sidecar in the data dir itself
        writeSidecar(withPath(TestFiles.realistic(random, next++), "zz-new"));
        writeSidecar(withPath(TestFiles.realistic(random, next++), shardOf(written.get(3)) + "/deeper"));
        Set<String> kept = Set.of("ab", shardOf(removed), shardOf(rewritten), shardOf(written.get(3)));
        FileMetadata inGoneShard = written.stream().filter(m -> !kept.contains(shardOf(m))).findFirst().orElseThrow();
        deleteTree(dataDir.resolve(shardOf(inGoneShard)));
        writeSidecar(withPath(TestFiles.realistic(random, next++), null));

        BuildResult restored = restore();

        assertThat(restored.checkpoint().status()).isEqualTo("used");
        assertThat(restored.checkpoint().dirsGone()).isPositive();
        assertThat(restored.checkpoint().dirsRescanned()).isGreaterThan(0);
        assertThat(restored.filesScanned()).isLessThan(written.size());
        assertThat(restored.index().get(removed.fileId())).isEmpty();
        assertThat(restored.index().get(rewritten.fileId()).orElseThrow().status()).isEqualTo(FileStatus.DELETED);
        assertThat(restored.index().get(inGoneShard.fileId())).isEmpty();
        assertSameAsRecount(restored);
    }

    @Test
    void directoriesChangedWithinTheSettleTimeOfTheCheckpointAreAlwaysReadAgain() throws Exception {
        // the whole store was written just now: with a settle time of an hour no directory is vouched for
        saveCheckpoint(Duration.ofHours(1), Set.of());

        BuildResult restored = restore();

        assertThat(restored.checkpoint().dirsTrusted()).isZero();
        assertThat(restored.filesScanned()).isEqualTo(written.size());
        assertSameAsRecount(restored);
    }

    @Test
    void aDirectoryWithAnUnreadableSidecarIsReadAgainSoItsFailureIsReportedAgain() throws Exception {
        FileMetadata victim = written.get(5);
        Files.writeString(attrOf(victim), "{ not json");
        String shard = victim.storagePath().substring(0, 2);
        saveCheckpoint(Duration.ZERO, Set.of(shard));

        BuildResult restored = restore();

        assertThat(restored.checkpoint().dirsRescanned()).isEqualTo(1);
        assertThat(restored.failures()).extracting(BuildFailure::kind).containsExactly(BuildFailure.Kind.UNREADABLE);
        assertSameAsRecount(restored);
    }

    @Test
    void aSidecarCopiedIntoAnotherDirectoryIsFoundOnceTheOriginalIsGone() throws Exception {
        FileMetadata original = written.get(6);
        Path copy = dataDir.resolve("zz-copy").resolve(attrOf(original).getFileName());
        Files.createDirectories(copy.getParent());
        Files.copy(attrOf(original), copy); // its storage_path still names the original's directory
        saveCheckpoint(Duration.ZERO, Set.of());
        FsClock.awaitTick(root);
        Files.delete(attrOf(original));

        BuildResult restored = restore();

        assertThat(restored.index().get(original.fileId())).contains(original);
        assertSameAsRecount(restored);
    }

    @Test
    void twoCopiesOfAFileIdInTheirOwnDirectoriesLeaveTheOtherOnceTheIndexedOneIsGone() throws Exception {
        FileMetadata first = written.get(7);
        FileMetadata second = writeSidecar(withPath(first, "yy-second"));
        FileMetadata indexed = new IndexBuilder(parser(), 2).build(dataDir).index().get(first.fileId()).orElseThrow();
        saveCheckpoint(Duration.ZERO, Set.of());
        FsClock.awaitTick(root);
        Files.delete(attrOf(indexed));

        BuildResult restored = restore();

        assertThat(restored.index().get(first.fileId())).contains(indexed.equals(first) ? second : first);
        assertSameAsRecount(restored);
    }

    @Test
    void aCheckpointWithABadChecksumIsRejectedAndTheIndexBuiltInFull() throws Exception {
        saveCheckpoint(Duration.ZERO, Set.of());
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x40;
        Files.write(file, bytes);

        assertRejected(restore(), "checksum mismatch");
    }

    @Test
    void aTruncatedCheckpointIsRejected() throws Exception {
        saveCheckpoint(Duration.ZERO, Set.of());
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 3));
        assertRejected(restore(), "checksum mismatch");
        Files.write(file, java.util.Arrays.copyOf(bytes, 5));
        assertRejected(restore(), "truncated");
    }

    @Test
    void aCheckpointOfAnotherStorageIdDataDirOrFormatIsNotUsed() throws Exception {
        saveCheckpoint(Duration.ZERO, Set.of());
        BuildResult otherId = new IndexBuilder(parser(), 2).build(dataDir,
                new IndexBuilder.Checkpoint(file, new IndexCheckpoint.Identity("se-other", dataDir)),
                new BuildProgress());
        assertRejected(otherId, "storage id se-test");
        BuildResult otherDir = new IndexBuilder(parser(), 2).build(dataDir,
                new IndexBuilder.Checkpoint(file, new IndexCheckpoint.Identity(STORAGE_ID, root.resolve("x"))),
                new BuildProgress());
        assertRejected(otherDir, "another data dir");

        rewriteVersion(IndexCheckpoint.FORMAT_VERSION + 1);
        assertRejected(restore(), "format version " + (IndexCheckpoint.FORMAT_VERSION + 1));
    }

    @Test
    void withoutACheckpointTheIndexIsBuiltInFull() throws Exception {
        BuildResult restored = restore();

        assertThat(restored.checkpoint()).isEqualTo(CheckpointOutcome.ABSENT);
        assertThat(restored.filesScanned()).isEqualTo(written.size());
        assertSameAsRecount(restored);
    }

    @Test
    void progressSaysWhatIsDoneAndReachesAHundredPercent() throws Exception {
        saveCheckpoint(Duration.ZERO, Set.of());
        FsClock.awaitTick(root);
        Files.delete(attrOf(written.get(0)));
        BuildProgress progress = new BuildProgress();
        assertThat(progress.snapshot().percent()).isEqualTo(-1);

        BuildResult restored = new IndexBuilder(parser(), 2).build(dataDir, checkpoint(), progress);

        BuildProgress.Snapshot done = progress.snapshot();
        assertThat(done.phase()).isEqualTo(BuildProgress.Phase.DONE);
        assertThat(done.percent()).isEqualTo(100);
        assertThat(done.filesRead()).isEqualTo(restored.filesScanned()).isPositive();
        assertThat(done.entriesFromCheckpoint()).isEqualTo(restored.checkpoint().entriesFromCheckpoint());
    }

    private void assertRejected(BuildResult restored, String reason) throws IOException {
        assertThat(restored.checkpoint().status()).isEqualTo("rejected");
        assertThat(restored.checkpoint().reason()).contains(reason);
        assertThat(restored.filesScanned()).isEqualTo(written.size());
        assertSameAsRecount(restored);
    }

    /** Same entries in the same order, same counters and bytes, same failures as a build from every sidecar. */
    private void assertSameAsRecount(BuildResult restored) throws IOException {
        BuildResult recount = new IndexBuilder(parser(), 2).build(dataDir);
        assertThat(all(restored.index())).isEqualTo(all(recount.index()));
        assertThat(restored.index().stats()).isEqualTo(recount.index().stats());
        for (FileStatus s : FileStatus.values()) {
            assertThat(restored.index().page(s, 0, Integer.MAX_VALUE).items())
                    .isEqualTo(recount.index().page(s, 0, Integer.MAX_VALUE).items());
        }
        assertThat(restored.failures()).isEqualTo(recount.failures());
        restored.index().checkInvariants();
    }

    private static List<FileMetadata> all(FileIndex index) {
        List<FileMetadata> list = new ArrayList<>();
        index.forEach(list::add);
        return list;
    }

    /** As the engine does: the directories the build found suspicious are not vouched for either. */
    private void saveCheckpoint(Duration settle, Set<String> untrusted) throws IOException {
        BuildResult built = new IndexBuilder(parser(), 2).build(dataDir);
        Set<String> notVouched = new java.util.HashSet<>(untrusted);
        notVouched.addAll(built.untrustedDirs());
        FsClock.awaitTick(root); // every directory's times now lie before the capture
        IndexCheckpoint.capture(new IndexCheckpoint.Identity(STORAGE_ID, dataDir), Instant.now(), settle,
                built::index, Runnable::run, notVouched).write(file);
    }

    private BuildResult restore() throws IOException {
        return new IndexBuilder(parser(), 2).build(dataDir, checkpoint(), new BuildProgress());
    }

    private IndexBuilder.Checkpoint checkpoint() {
        return new IndexBuilder.Checkpoint(file, new IndexCheckpoint.Identity(STORAGE_ID, dataDir));
    }

    private AttrParser parser() {
        return attrFile -> AttrCodec.read(attrFile, dataDir);
    }

    /** Puts the version field after the magic and recomputes the checksum: a well-formed file of another format. */
    private void rewriteVersion(int version) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
        b.putInt(Long.BYTES, version);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, b.capacity() - Long.BYTES);
        b.putLong(b.capacity() - Long.BYTES, crc.getValue());
        Files.write(file, b.array());
    }

    /** {@code m} moved to directory {@code dir} (null: the data dir itself). */
    private static FileMetadata withPath(FileMetadata m, String dir) {
        String name = m.storagePath().substring(m.storagePath().indexOf('/') + 1);
        return new FileMetadata(m.fileId(), m.originalFilename(), m.contentType(), m.size(), m.checksum(),
                m.uploadedBy(), m.uploadedAt(), m.description(), m.tags(), m.status(), m.retentionPolicy(),
                m.ttlDays(), m.expiresAt(), dir == null ? name : dir + "/" + name);
    }

    private FileMetadata writeSidecar(FileMetadata m) throws IOException {
        Path attr = attrOf(m);
        Files.createDirectories(attr.getParent());
        Files.write(attr, AttrCodec.encode(m));
        return m;
    }

    private Path attrOf(FileMetadata m) {
        return dataDir.resolve(m.storagePath() + IndexBuilder.ATTR_SUFFIX);
    }

    private static String shardOf(FileMetadata m) {
        return m.storagePath().substring(0, 2);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
