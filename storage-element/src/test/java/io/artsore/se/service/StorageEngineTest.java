package io.artsore.se.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.artsore.se.config.SeConfig;
import io.artsore.se.domain.ErrorCode;
import io.artsore.se.domain.FileMetadata;
import io.artsore.se.domain.FileStatus;
import io.artsore.se.domain.Mode;
import io.artsore.se.domain.RetentionPolicy;
import io.artsore.se.domain.SeException;
import io.artsore.se.storage.attr.AttrCodec;
import io.artsore.se.storage.filestore.DiskSpace;
import io.artsore.se.storage.index.BuildFailure;
import io.artsore.se.storage.mode.ModeStoreException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import io.artsore.se.storage.wal.WalQuarantine;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageEngineTest {
    static final Instant NOW = Instant.parse("2026-02-21T10:15:30Z");
    final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir
    Path root;

    StorageEngine open(SeConfig cfg) throws IOException {
        return StorageEngine.open(cfg, clock);
    }

    static FileMetadata upload(StorageEngine e, String name, String content) throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        try (PendingUpload u = e.beginUpload("alice", bytes.length)) {
            u.writeContent(name, "text/plain", new ByteArrayInputStream(bytes));
            return u.commit("desc", List.of("t1"), null);
        }
    }

    static void assertCode(ThrowingCallable call, ErrorCode code) {
        assertThatThrownBy(call).isInstanceOf(SeException.class)
                .satisfies(ex -> assertThat(((SeException) ex).code()).isEqualTo(code));
    }

    @Test
    void uploadIsDurableIndexedAndLeavesNoWalOrTemp() throws IOException {
        SeConfig cfg = TestEngines.config(root);
        try (StorageEngine e = open(cfg)) {
            FileMetadata m = upload(e, "dir/report.txt", "hello");
            assertThat(m.originalFilename()).isEqualTo("report.txt");
            assertThat(m.size()).isEqualTo(5);
            assertThat(m.checksum()).isEqualTo("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
            assertThat(m.uploadedBy()).isEqualTo("alice");
            assertThat(m.contentType()).isEqualTo("text/plain");
            assertThat(m.status()).isEqualTo(FileStatus.ACTIVE);
            assertThat(m.retentionPolicy()).isEqualTo(RetentionPolicy.TEMPORARY);
            assertThat(m.ttlDays()).isEqualTo(30);
            assertThat(m.expiresAt()).isEqualTo(m.uploadedAt().plus(Duration.ofDays(30)));
            assertThat(m.storagePath()).startsWith(m.fileId().toString().substring(0, 2) + "/report_alice_")
                    .endsWith("_" + m.fileId() + ".txt");
            assertThat(e.find(m.fileId())).contains(m);
            assertThat(e.contentPath(m)).hasContent("hello");
            assertThat(AttrCodec.read(e.layout.sidecar(m.storagePath()), cfg.dataDir())).isEqualTo(m);
            assertThat(e.wal.pendingCount()).isZero();
            DiskTruth disk = DiskTruth.scan(cfg.dataDir());
            assertThat(disk.tempFiles).isEmpty();
            assertThat(disk.otherFiles).isEmpty();
            assertThat(e.capacity()).isEqualTo(new Capacity(1L << 30, 5, (1L << 30) - 5));
            assertThat(e.capacity.reservedBytes()).isZero();
        }
    }

    @Test
    void rwUploadsArePermanentAndTtlIsHonouredInEdit() throws IOException {
        try (StorageEngine e = open(TestEngines.config(root.resolve("a"), "rw", 1000, 10_000))) {
            FileMetadata m = upload(e, "a.bin", "x");
            assertThat(m.retentionPolicy()).isEqualTo(RetentionPolicy.PERMANENT);
            assertThat(m.ttlDays()).isNull();
            assertThat(m.expiresAt()).isNull();
        }
        try (StorageEngine e = open(TestEngines.config(root.resolve("b")));
             PendingUpload u = e.beginUpload("bob", -1)) {
            u.writeContent("a.bin", null, new ByteArrayInputStream(new byte[3]));
            FileMetadata m = u.commit(null, null, 7);
            assertThat(m.ttlDays()).isEqualTo(7);
            assertThat(m.contentType()).isEqualTo("application/octet-stream");
            assertThat(m.description()).isNull();
            assertThat(m.tags()).isNull();
        }
    }

    @Test
    void aBadContentTypeIsRefusedBeforeAByteOfContentIsRead() throws IOException {
        InputStream untouchable = new InputStream() {
            @Override
            public int read() {
                throw new AssertionError("the content was read");
            }
        };
        try (StorageEngine e = open(TestEngines.config(root));
             PendingUpload u = e.beginUpload("bob", -1)) {
            assertCode(() -> u.writeContent("a.bin", "text/plain\u0001", untouchable), ErrorCode.VALIDATION_ERROR);
        }
    }

    @Test
    void theEngineCountsDescriptionCharactersAsCodePoints() throws IOException {
        String emoji = "\uD83D\uDE00";
        try (StorageEngine e = open(TestEngines.config(root))) {
            FileMetadata m = upload(e, "a.txt", "x");
            assertThat(e.updateMetadata(m.fileId(), emoji.repeat(1000), null).description()).hasSize(2000);
            assertCode(() -> e.updateMetadata(m.fileId(), emoji.repeat(1001), null), ErrorCode.VALIDATION_ERROR);
        }
    }

    @Test
    void uploadIsRefusedBeforeTheBodyInModesThatForbidIt() throws IOException {
        for (String mode : new String[] {"ro", "ar"}) {
            try (StorageEngine e = open(TestEngines.config(root.resolve(mode), mode, 1000, 10_000))) {
                assertCode(() -> e.beginUpload("a", 10), ErrorCode.MODE_NOT_ALLOWED);
            }
        }
    }

    @Test
    void declaredOversizeIsRefusedBeforeTheBody() throws IOException {
        try (StorageEngine e = open(TestEngines.config(root, "edit", 1000, 10_000))) {
            assertCode(() -> e.beginUpload("a", 1001), ErrorCode.FILE_TOO_LARGE);
            assertThat(e.capacity.reservedBytes()).isZero();
        }
    }

    @Test
    void oversizeBodyStopsStreamingAndKeepsNothing() throws IOException {
        SeConfig cfg = TestEngines.config(root, "edit", 100_000, 1_000_000);
        try (StorageEngine e = open(cfg)) {
            PendingUpload u = e.beginUpload("a", -1);
            InputStream endless = new InputStream() {
                @Override
                public int read() {
                    return 7;
                }
            };
            assertCode(() -> u.writeContent("big.bin", null, endless), ErrorCode.FILE_TOO_LARGE);
            assertThatThrownBy(() -> u.writeContent("big.bin", null, endless))
                    .as("a failed upload cannot be reused").isInstanceOf(IllegalStateException.class);
            assertThat(e.capacity.reservedBytes()).isZero();
        }
        DiskTruth disk = DiskTruth.scan(cfg.dataDir());
        assertThat(disk.files).isEmpty();
        assertThat(disk.tempFiles).isEmpty();
        assertThat(disk.otherFiles).isEmpty();
        try (var l = Files.list(cfg.walDir())) {
            assertThat(l).isEmpty();
        }
    }

    @Test
    void closingAnUncommittedUploadRemovesEverything() throws IOException {
        SeConfig cfg = TestEngines.config(root);
        try (StorageEngine e = open(cfg)) {
            try (PendingUpload u = e.beginUpload("a", 3)) {
                u.writeContent("a.txt", null, new ByteArrayInputStream(new byte[3]));
            }
            assertThat(e.stats().total()).isZero();
            assertThat(e.capacity.reservedBytes()).isZero();
            assertThat(e.wal.pendingCount()).isZero();
        }
        DiskTruth disk = DiskTruth.scan(cfg.dataDir());
        assertThat(disk.files).isEmpty();
        assertThat(disk.tempFiles).isEmpty();
        assertThat(disk.otherFiles).isEmpty();
    }

    /**
     * Security review M5: uploads that declare a large body and then send nothing (or a byte a minute) used to
     * reserve their whole declared length at once, so a few of them held all the capacity and every other
     * upload got 507. Now a declared length is only checked against the free space; space is held as it arrives.
     */
    @Test
    void stalledUploadsDeclaringLargeBodiesDoNotStarveOthers() throws IOException {
        long mib = 1024 * 1024;
        try (StorageEngine e = open(TestEngines.config(root, "edit", 64 * mib, 100 * mib))) {
            List<PendingUpload> stalled = new ArrayList<>();
            try {
                for (int i = 0; i < 5; i++) { // 5 × 64 MiB declared against 100 MiB
                    stalled.add(e.beginUpload("slow" + i, 64 * mib));
                }
                assertThat(e.capacity.reservedBytes()).isLessThanOrEqualTo(5 * CapacityAccountant.GROWTH_STEP);
                try (PendingUpload normal = e.beginUpload("alice", mib)) {
                    normal.writeContent("n.bin", null, new ByteArrayInputStream(new byte[(int) mib]));
                    normal.commit(null, null, null);
                }
                assertCode(() -> e.beginUpload("big", 100 * mib), ErrorCode.FILE_TOO_LARGE);
            } finally {
                stalled.forEach(PendingUpload::close);
            }
            assertThat(e.capacity.reservedBytes()).isZero();
        }
    }

    @Test
    void capacityReservationsOfConcurrentUploadsCannotOvershoot() throws IOException {
        try (StorageEngine e = open(TestEngines.config(root, "edit", 600, 1000))) {
            PendingUpload first = e.beginUpload("a", 600);
            assertCode(() -> e.beginUpload("b", 600), ErrorCode.STORAGE_FULL);
            PendingUpload unknown = e.beginUpload("c", -1);
            // the unknown-length upload can only grow into what is left (400 bytes)
            assertCode(() -> unknown.writeContent("u.bin", null, new ByteArrayInputStream(new byte[401])),
                    ErrorCode.STORAGE_FULL);
            first.writeContent("f.bin", null, new ByteArrayInputStream(new byte[600]));
            first.commit(null, null, null);
            assertThat(e.capacity()).isEqualTo(new Capacity(1000, 600, 400));
            assertCode(() -> e.beginUpload("d", 401), ErrorCode.STORAGE_FULL);
            try (PendingUpload fits = e.beginUpload("d", 400)) {
                fits.writeContent("g.bin", null, new ByteArrayInputStream(new byte[400]));
                fits.commit(null, null, null);
            }
            assertThat(e.capacity().availableBytes()).isZero();
            assertThat(e.capacity.reservedBytes()).isZero();
        }
    }

    @Test
    void realDiskSpaceIsChecked() throws IOException {
        try (StorageEngine e = StorageEngine.open(TestEngines.config(root), clock, path -> 100)) {
            assertCode(() -> e.beginUpload("a", 101), ErrorCode.STORAGE_FULL);
            PendingUpload u = e.beginUpload("a", -1);
            assertCode(() -> u.writeContent("x", null, new ByteArrayInputStream(new byte[101])), ErrorCode.STORAGE_FULL);
        }
    }

    @Test
    void transitionDuringAnUploadRefusesItsCommitAndKeepsNothing() throws IOException {
        SeConfig cfg = TestEngines.config(root, "rw", 1000, 10_000);
        try (StorageEngine e = open(cfg)) {
            PendingUpload u = e.beginUpload("a", 3);
            u.writeContent("a.txt", null, new ByteArrayInputStream(new byte[3]));
            e.transition(Mode.RO, false, "admin");
            assertCode(() -> u.commit(null, null, null), ErrorCode.MODE_NOT_ALLOWED);
            u.close();
            assertThat(e.stats().total()).isZero();
        }
        assertThat(DiskTruth.scan(cfg.dataDir()).tempFiles).isEmpty();
        assertThat(DiskTruth.scan(cfg.dataDir()).otherFiles).isEmpty();
    }

    @Test
    void updateReplacesOnlyWhatIsGiven() throws IOException {
        SeConfig cfg = TestEngines.config(root);
        try (StorageEngine e = open(cfg)) {
            FileMetadata m = upload(e, "a.txt", "abc");
            FileMetadata u1 = e.updateMetadata(m.fileId(), "new", null);
            assertThat(u1.description()).isEqualTo("new");
            assertThat(u1.tags()).containsExactly("t1");
            FileMetadata u2 = e.updateMetadata(m.fileId(), null, List.of("x", "y"));
            assertThat(u2.description()).isEqualTo("new");
            assertThat(u2.tags()).containsExactly("x", "y");
            assertThat(u2.withDescriptionAndTags(m.description(), m.tags())).isEqualTo(m);
            assertThat(AttrCodec.read(e.layout.sidecar(m.storagePath()), cfg.dataDir())).isEqualTo(u2);
            assertCode(() -> e.updateMetadata(m.fileId(), null, null), ErrorCode.VALIDATION_ERROR);
            assertCode(() -> e.updateMetadata(m.fileId(), "x".repeat(1001), null), ErrorCode.VALIDATION_ERROR);
            assertThat(e.updateMetadata(m.fileId(), "x".repeat(1000), null).description()).hasSize(1000);
            assertCode(() -> e.updateMetadata(UUID.randomUUID(), "d", null), ErrorCode.NOT_FOUND);
            e.softDelete(m.fileId());
            assertCode(() -> e.updateMetadata(m.fileId(), "d", null), ErrorCode.NOT_FOUND);
            assertThat(e.wal.pendingCount()).isZero();
        }
    }

    @Test
    void modeDecidesWhichWritesAreAllowedBeforeExistenceIsChecked() throws IOException {
        try (StorageEngine e = open(TestEngines.config(root, "rw", 1000, 10_000))) {
            FileMetadata m = upload(e, "a.txt", "abc");
            assertThat(e.updateMetadata(m.fileId(), "ok in rw", null).description()).isEqualTo("ok in rw");
            assertCode(() -> e.softDelete(m.fileId()), ErrorCode.MODE_NOT_ALLOWED);
            assertCode(() -> e.softDelete(UUID.randomUUID()), ErrorCode.MODE_NOT_ALLOWED);
            e.transition(Mode.RO, false, "admin");
            assertCode(() -> e.updateMetadata(UUID.randomUUID(), "x", null), ErrorCode.MODE_NOT_ALLOWED);
        }
    }

    @Test
    void softDeleteIsPersistedIdempotentAndSurvivesRestart() throws IOException {
        SeConfig cfg = TestEngines.config(root);
        UUID id;
        try (StorageEngine e = open(cfg)) {
            id = upload(e, "a.txt", "abc").fileId();
            e.softDelete(id);
            e.softDelete(id);
            assertThat(e.find(id).orElseThrow().status()).isEqualTo(FileStatus.DELETED);
            assertThat(e.stats().deleted()).isEqualTo(1);
            assertCode(() -> e.softDelete(UUID.randomUUID()), ErrorCode.NOT_FOUND);
        }
        try (StorageEngine e = open(cfg)) {
            assertThat(e.find(id).orElseThrow().status()).isEqualTo(FileStatus.DELETED);
            assertThat(e.stats().deleted()).isEqualTo(1);
        }
    }

    @Test
    void markExpiredChangesOnlyActiveFiles() throws IOException {
        try (StorageEngine e = open(TestEngines.config(root))) {
            UUID id = upload(e, "a.txt", "abc").fileId();
            e.markExpired(id);
            assertThat(e.find(id).orElseThrow().status()).isEqualTo(FileStatus.EXPIRED);
            assertCode(() -> e.updateMetadata(id, "x", null), ErrorCode.NOT_FOUND);
            e.softDelete(id);
            e.markExpired(id);
            assertThat(e.find(id).orElseThrow().status()).isEqualTo(FileStatus.DELETED);
        }
    }

    @Test
    void purgeRemovesDataSidecarAndIndexEntry() throws IOException {
        SeConfig cfg = TestEngines.config(root);
        try (StorageEngine e = open(cfg)) {
            FileMetadata keep = upload(e, "keep.txt", "k");
            FileMetadata m = upload(e, "a.txt", "abc");
            e.softDelete(m.fileId());
            e.purge(m.fileId());
            assertThat(e.find(m.fileId())).isEmpty();
            assertThat(e.contentPath(m)).doesNotExist();
            assertThat(e.stats()).isEqualTo(DiskTruth.scan(cfg.dataDir()).stats());
            assertThat(DiskTruth.scan(cfg.dataDir()).files).containsOnlyKeys(keep.fileId());
            assertCode(() -> e.purge(m.fileId()), ErrorCode.NOT_FOUND);
            assertThat(e.wal.pendingCount()).isZero();
        }
    }

    @Test
    void uploadTimesStrictlyIncreaseInCommitOrderEvenWithAStoppedClock() throws IOException {
        try (StorageEngine e = open(TestEngines.config(root))) {
            FileMetadata a = upload(e, "a", "1");
            FileMetadata b = upload(e, "b", "2");
            FileMetadata c = upload(e, "c", "3");
            assertThat(a.uploadedAt()).isEqualTo(NOW);
            assertThat(b.uploadedAt()).isAfter(a.uploadedAt());
            assertThat(c.uploadedAt()).isAfter(b.uploadedAt());
            assertThat(e.list(null, 0, 10).items()).containsExactly(a, b, c);
            assertThat(e.list(null, 1, 1).items()).containsExactly(b);
            assertThat(e.list(FileStatus.DELETED, 0, 10).total()).isZero();
        }
    }

    @Test
    void restartRebuildsTheSameIndexAndKeepsOrderingAfterTheNewestFile() throws IOException {
        SeConfig cfg = TestEngines.config(root);
        FileMetadata a;
        try (StorageEngine e = open(cfg)) {
            a = upload(e, "a", "1");
            upload(e, "b", "2");
        }
        try (StorageEngine e = open(cfg)) {
            assertThat(e.startupReport().indexedFiles()).isEqualTo(2);
            assertThat(e.find(a.fileId())).contains(a);
            FileMetadata c = upload(e, "c", "3");
            assertThat(e.list(null, 0, 10).items()).last().isEqualTo(c);
        }
    }

    @Test
    void persistedModeWinsOverConfiguredModeAfterRestart() throws IOException {
        SeConfig cfg = TestEngines.config(root, "rw", 1000, 10_000);
        try (StorageEngine e = open(cfg)) {
            assertThat(e.startupReport().modeFromFile()).isFalse();
            e.transition(Mode.RO, false, "admin");
        }
        try (StorageEngine e = open(cfg)) {
            assertThat(e.mode()).isEqualTo(Mode.RO);
            assertThat(e.startupReport().modeFromFile()).isTrue();
        }
    }

    @Test
    void corruptModeFileStopsStartup() throws IOException {
        SeConfig cfg = TestEngines.config(root);
        Files.createDirectories(cfg.dataDir());
        Files.writeString(cfg.dataDir().resolve("mode.json"), "{\"mode\":");
        assertThatThrownBy(() -> open(cfg)).isInstanceOf(ModeStoreException.class);
    }

    /** Security review L6: a torn WAL record used to fail every start (crash loop). */
    @Test
    void aTornWalRecordIsQuarantinedAndTheEngineStartsWithEveryFile() throws IOException {
        SeConfig cfg = TestEngines.config(root);
        FileMetadata kept;
        try (StorageEngine e = open(cfg)) {
            kept = upload(e, "kept", "1");
        }
        Files.writeString(cfg.walDir().resolve(UUID.randomUUID() + ".wal.json"), "{\"format_version\":2,\"transac");
        try (StorageEngine e = open(cfg)) {
            assertThat(e.startupReport().recovery().quarantined()).isEqualTo(1);
            assertThat(e.find(kept.fileId())).isPresent();
            assertThat(WalQuarantine.in(cfg.walDir()).count()).isEqualTo(1);
            assertThat(upload(e, "after", "2").fileId()).isNotNull();
        }
    }

    @Test
    void corruptSidecarIsReportedNotSilentlyDropped() throws IOException {
        SeConfig cfg = TestEngines.config(root);
        FileMetadata good;
        try (StorageEngine e = open(cfg)) {
            good = upload(e, "good", "1");
        }
        Path bad = Files.writeString(cfg.dataDir().resolve("x_u_20260101T000000Z_" + UUID.randomUUID() + ".attr.json"),
                "{broken");
        try (StorageEngine e = open(cfg)) {
            assertThat(e.startupReport().attrFailures()).singleElement().satisfies(f -> {
                assertThat(f.kind()).isEqualTo(BuildFailure.Kind.UNREADABLE);
                assertThat(f.path()).isEqualTo(bad.getFileName());
                assertThat(f.message()).doesNotContain(cfg.dataDir().toString());
            });
            assertThat(e.startupReport().indexedFiles()).isEqualTo(1);
            assertThat(e.find(good.fileId())).isPresent();
        }
    }

    @Test
    void secondAttrFileClaimingAnIdIsReportedAndOneCopyIsIndexed() throws IOException {
        SeConfig cfg = TestEngines.config(root);
        FileMetadata good;
        try (StorageEngine e = open(cfg)) {
            good = upload(e, "good", "1");
        }
        Path attr = cfg.dataDir().resolve(good.storagePath() + AttrCodec.SUFFIX);
        Path copy = Files.createDirectories(cfg.dataDir().resolve("zz")).resolve("copy" + AttrCodec.SUFFIX);
        Files.copy(attr, copy);
        try (StorageEngine e = open(cfg)) {
            assertThat(e.startupReport().attrFailures()).singleElement().satisfies(f -> {
                assertThat(f.kind()).isEqualTo(BuildFailure.Kind.DUPLICATE_ID);
                assertThat(f.message()).contains(good.fileId().toString());
            });
            assertThat(e.startupReport().indexedFiles()).isEqualTo(1);
            assertThat(e.find(good.fileId())).contains(good);
        }
    }

    @Test
    void uploadCommitWaitsForTheContentFsyncThatRunsInTheBackground() throws Exception {
        SeConfig cfg = TestEngines.config(root);
        CountDownLatch release = new CountDownLatch(1);
        ContentSync held = content -> {
            awaitLatch(release);
            content.force(true);
        };
        try (StorageEngine e = StorageEngine.open(cfg, clock, DiskSpace.real(), WriteFence.NONE, held)) {
            PendingUpload u = e.beginUpload("alice", 5);
            u.writeContent("a.txt", "text/plain", new ByteArrayInputStream("hello".getBytes(StandardCharsets.UTF_8)));
            CompletableFuture<FileMetadata> committed = new CompletableFuture<>();
            Thread committer = Thread.ofPlatform().start(() -> {
                try {
                    committed.complete(u.commit("desc", null, null));
                } catch (Throwable t) {
                    committed.completeExceptionally(t);
                }
            });
            // the commit gets as far as attr.json, then parks until the content is durable
            long giveUp = System.nanoTime() + TimeUnit.MINUTES.toNanos(1); // deadlock guard only
            while (!(DiskTruth.scan(cfg.dataDir()).files.containsKey(u.fileId())
                    && committer.getState() == Thread.State.WAITING) && committer.isAlive()) {
                assertThat(System.nanoTime()).as("commit reaches its wait").isLessThan(giveUp);
                Thread.sleep(1);
            }
            assertThat(committed).as("not acknowledged before the content fsync").isNotDone();
            assertThat(e.wal.pendingCount()).as("WAL record still pending").isEqualTo(1);
            assertThat(e.find(u.fileId())).isEmpty();

            release.countDown();
            FileMetadata m = committed.get(1, TimeUnit.MINUTES);
            assertThat(e.wal.pendingCount()).isZero();
            assertThat(e.find(m.fileId())).contains(m);
            assertThat(e.contentPath(m)).hasContent("hello");
        }
    }

    @Test
    void aFailedContentFsyncFailsTheUploadAndLeavesNothing() throws IOException {
        SeConfig cfg = TestEngines.config(root);
        ContentSync failing = content -> {
            throw new IOException("EIO");
        };
        try (StorageEngine e = StorageEngine.open(cfg, clock, DiskSpace.real(), WriteFence.NONE, failing)) {
            UUID id;
            try (PendingUpload u = e.beginUpload("alice", 5)) {
                id = u.fileId();
                u.writeContent("a.txt", "text/plain", new ByteArrayInputStream("hello".getBytes(StandardCharsets.UTF_8)));
                assertThatThrownBy(() -> u.commit("desc", null, null)).isInstanceOf(IOException.class)
                        .hasMessage("EIO");
            }
            assertThat(e.find(id)).isEmpty();
            assertThat(e.wal.pendingCount()).isZero();
            assertThat(e.capacity.reservedBytes()).isZero();
            DiskTruth disk = DiskTruth.scan(cfg.dataDir());
            assertThat(disk.files).isEmpty();
            assertThat(disk.tempFiles).isEmpty();
            assertThat(disk.otherFiles).isEmpty();
        }
    }

    private static void awaitLatch(CountDownLatch latch) throws IOException {
        try {
            if (!latch.await(1, TimeUnit.MINUTES)) {
                throw new IOException("test latch never released");
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IOException(ex);
        }
    }
}
