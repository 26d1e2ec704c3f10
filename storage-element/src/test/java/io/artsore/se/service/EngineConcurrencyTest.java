package io.artsore.se.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.artsore.se.config.SeConfig;
import io.artsore.se.domain.ErrorCode;
import io.artsore.se.domain.FileMetadata;
import io.artsore.se.domain.FileStatus;
import io.artsore.se.domain.SeException;
import io.artsore.se.storage.index.IndexPage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineConcurrencyTest {
    @TempDir
    Path root;

    @RepeatedTest(5)
    void parallelPatchAndDeleteOnOneFileEndInASerialOutcome() throws Exception {
        SeConfig cfg = TestEngines.config(root.resolve(UUID.randomUUID().toString()));
        try (StorageEngine e = StorageEngine.open(cfg, Clock.systemUTC())) {
            FileMetadata m = StorageEngineTest.upload(e, "one.txt", "content");
            int writers = 16;
            CountDownLatch start = new CountDownLatch(1);
            Set<String> acceptedDescriptions = ConcurrentHashMap.newKeySet();
            List<Callable<String>> tasks = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                String desc = "d" + i;
                boolean delete = i % 4 == 0;
                tasks.add(() -> {
                    start.await();
                    try {
                        if (delete) {
                            e.softDelete(m.fileId());
                            return "deleted";
                        }
                        FileMetadata u = e.updateMetadata(m.fileId(), desc, List.of(desc));
                        acceptedDescriptions.add(desc);
                        // a serial history never yields an update of a deleted file
                        assertThat(u.status()).isEqualTo(FileStatus.ACTIVE);
                        return "updated";
                    } catch (SeException ex) {
                        assertThat(ex.code()).isEqualTo(ErrorCode.NOT_FOUND);
                        return "refused";
                    }
                });
            }
            ExecutorService pool = Executors.newFixedThreadPool(writers);
            List<Future<String>> results;
            try {
                List<Future<String>> submitted = new ArrayList<>();
                for (Callable<String> t : tasks) {
                    submitted.add(pool.submit(t));
                }
                start.countDown();
                results = submitted;
                for (Future<String> f : results) {
                    f.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            FileMetadata fin = e.find(m.fileId()).orElseThrow();
            assertThat(fin.status()).isEqualTo(FileStatus.DELETED);
            // the last accepted edit is the one that stays; tags and description always come from the same edit
            if (acceptedDescriptions.isEmpty()) {
                assertThat(fin.description()).isEqualTo(m.description());
            } else {
                assertThat(acceptedDescriptions).contains(fin.description());
                assertThat(fin.tags()).containsExactly(fin.description());
            }
            DiskTruth disk = DiskTruth.scan(cfg.dataDir());
            assertThat(disk.files.get(m.fileId())).isEqualTo(fin);
            assertThat(disk.tempFiles).isEmpty();
            assertThat(e.wal.pendingCount()).isZero();
        }
        try (StorageEngine again = StorageEngine.open(cfg, Clock.systemUTC())) {
            assertThat(again.stats().deleted()).isEqualTo(1);
            assertThat(again.stats().active()).isZero();
        }
    }

    @Test
    void mixedConcurrentWritesKeepCountersEqualToARecountFromDisk() throws Exception {
        SeConfig cfg = TestEngines.config(root, "edit", 1 << 16, 1L << 30);
        try (StorageEngine e = StorageEngine.open(cfg, Clock.systemUTC())) {
            List<UUID> ids = Collections.synchronizedList(new ArrayList<>());
            int threads = 8;
            int opsPerThread = 40;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    long seed = t;
                    futures.add(pool.submit(() -> {
                        Random rnd = new Random(seed);
                        for (int i = 0; i < opsPerThread; i++) {
                            randomOperation(e, ids, rnd);
                        }
                        return null;
                    }));
                }
                for (Future<?> f : futures) {
                    f.get(120, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            DiskTruth disk = DiskTruth.scan(cfg.dataDir());
            assertThat(e.stats()).isEqualTo(disk.stats());
            assertThat(disk.tempFiles).isEmpty();
            assertThat(disk.otherFiles).isEmpty();
            List<FileMetadata> all = DiskTruth.indexedFiles(e);
            assertThat(all).hasSize(disk.files.size());
            for (FileMetadata m : all) {
                assertThat(disk.files.get(m.fileId())).isEqualTo(m);
                assertThat(DiskTruth.sha256(e.contentPath(m))).isEqualTo(m.checksum());
            }
            assertThat(e.capacity.reservedBytes()).isZero();
        }
    }

    private static void randomOperation(StorageEngine e, List<UUID> ids, Random rnd) throws IOException {
        int op = rnd.nextInt(10);
        UUID target;
        synchronized (ids) {
            target = ids.isEmpty() ? null : ids.get(rnd.nextInt(ids.size()));
        }
        try {
            if (op < 5 || target == null) {
                byte[] data = new byte[rnd.nextInt(5000)];
                rnd.nextBytes(data);
                try (PendingUpload u = e.beginUpload("user" + rnd.nextInt(3), rnd.nextBoolean() ? data.length : -1)) {
                    u.writeContent("f" + rnd.nextInt(1000) + ".bin", null, new ByteArrayInputStream(data));
                    if (rnd.nextInt(10) == 0) {
                        return; // abandoned upload: closing must remove it
                    }
                    ids.add(u.commit(null, null, null).fileId());
                }
            } else if (op < 7) {
                e.updateMetadata(target, "d" + rnd.nextInt(), null);
            } else if (op < 9) {
                e.softDelete(target);
            } else {
                e.purge(target);
                ids.remove(target);
            }
        } catch (SeException ex) {
            assertThat(ex.code()).isEqualTo(ErrorCode.NOT_FOUND); // raced with a purge or a delete
        }
    }

    @Test
    void concurrentUploadsAppearInUploadOrderSoOffsetPagingNeverSkips() throws Exception {
        SeConfig cfg = TestEngines.config(root);
        try (StorageEngine e = StorageEngine.open(cfg, Clock.systemUTC())) {
            ExecutorService pool = Executors.newFixedThreadPool(6);
            Set<UUID> seen = new HashSet<>();
            Set<UUID> uploaded = ConcurrentHashMap.newKeySet();
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < 6; t++) {
                    futures.add(pool.submit(() -> {
                        for (int i = 0; i < 30; i++) {
                            uploaded.add(StorageEngineTest.upload(e, "p.txt", "x" + i).fileId());
                        }
                        return null;
                    }));
                }
                long offset = 0;
                while (futures.stream().anyMatch(f -> !f.isDone())) {
                    IndexPage page = e.list(null, offset, 7);
                    for (FileMetadata m : page.items()) {
                        assertThat(seen.add(m.fileId())).as("seen twice: " + m.fileId()).isTrue();
                    }
                    offset += page.items().size();
                }
                for (Future<?> f : futures) {
                    f.get(60, TimeUnit.SECONDS);
                }
                IndexPage page;
                do {
                    page = e.list(null, offset, 7);
                    page.items().forEach(m -> assertThat(seen.add(m.fileId())).isTrue());
                    offset += page.items().size();
                } while (!page.items().isEmpty());
            } finally {
                pool.shutdownNow();
            }
            assertThat(seen).isEqualTo(uploaded);
        }
    }
}
