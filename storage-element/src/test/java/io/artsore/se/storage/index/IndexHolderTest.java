package io.artsore.se.storage.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.artsore.se.domain.FileMetadata;
import io.artsore.se.domain.FileStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rebuilds off to the side: readers and writers keep going during the scan and no write is lost. */
class IndexHolderTest {
    private static final long DEADLOCK_GUARD_SECONDS = 60;

    @TempDir
    Path dataDir;

    private final Random random = new Random(23);

    @Test
    void readersAndWritersDoNotWaitForTheScanAndItsWritesSurviveTheSwap() throws Exception {
        FileMetadata kept = store(TestFiles.realistic(random, 1));
        FileMetadata toExpire = store(TestFiles.realistic(random, 2));
        FileMetadata toDelete = store(TestFiles.realistic(random, 3));
        IndexHolder holder = new IndexHolder(new IndexBuilder(new SimpleAttrCodec()).build(dataDir).index());

        CountDownLatch scanStarted = new CountDownLatch(1);
        CountDownLatch writesDone = new CountDownLatch(1);
        AttrParser stallingParser = file -> {
            scanStarted.countDown();
            if (!writesDone.await(DEADLOCK_GUARD_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("test writer did not finish");
            }
            return new SimpleAttrCodec().parse(file);
        };
        CompletableFuture<BuildResult> rebuild = CompletableFuture.supplyAsync(() -> {
            try {
                return holder.rebuild(new IndexBuilder(stallingParser, 1), dataDir);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        assertThat(scanStarted.await(DEADLOCK_GUARD_SECONDS, TimeUnit.SECONDS)).isTrue();

        // The scan is stuck in the parser; all of this would hang if the rebuild held a lock.
        assertThat(holder.current().page(null, 0, 10).total()).isEqualTo(3);
        FileMetadata uploaded = TestFiles.realistic(random, 4);
        holder.put(store(uploaded));
        holder.put(store(toExpire.withStatus(FileStatus.EXPIRED)));
        Files.delete(attrOf(toDelete));
        assertThat(holder.remove(toDelete.fileId())).contains(toDelete);
        assertThat(holder.current().get(uploaded.fileId())).contains(uploaded);
        writesDone.countDown();

        BuildResult result = rebuild.get(DEADLOCK_GUARD_SECONDS, TimeUnit.SECONDS);
        assertThat(holder.current()).isSameAs(result.index());
        List<FileMetadata> after = new ArrayList<>();
        holder.current().forEach(after::add);
        assertThat(after).containsExactly(kept, toExpire.withStatus(FileStatus.EXPIRED), uploaded);
        assertThat(holder.current().stats()).isEqualTo(new IndexStats(2, 1, 0,
                kept.size() + toExpire.size() + uploaded.size()));
    }

    @Test
    void aWriterRunningThroughoutARebuildLosesNothing() throws Exception {
        Map<UUID, FileMetadata> model = new HashMap<>();
        for (int i = 0; i < 3000; i++) {
            FileMetadata m = store(TestFiles.realistic(random, i));
            model.put(m.fileId(), m);
        }
        IndexHolder holder = new IndexHolder(new IndexBuilder(new SimpleAttrCodec()).build(dataDir).index());
        List<UUID> ids = new ArrayList<>(model.keySet());
        AtomicBoolean rebuilding = new AtomicBoolean(true);

        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            Random writerRandom = new Random(29);
            // Bounded: stops when the rebuild is over or after a fixed number of writes.
            for (int i = 0; i < 20_000 && (rebuilding.get() || i < 200); i++) {
                try {
                    UUID id = ids.get(writerRandom.nextInt(ids.size()));
                    FileMetadata current = model.get(id);
                    int kind = writerRandom.nextInt(3);
                    if (kind == 0) {
                        FileMetadata fresh = store(TestFiles.realistic(writerRandom, 10_000 + i));
                        holder.put(fresh);
                        model.put(fresh.fileId(), fresh);
                        ids.add(fresh.fileId());
                    } else if (kind == 1 && current != null) {
                        FileMetadata changed = store(current.withStatus(FileStatus.values()[writerRandom.nextInt(3)]));
                        holder.put(changed);
                        model.put(id, changed);
                    } else if (current != null) {
                        Files.delete(attrOf(current));
                        holder.remove(id);
                        model.remove(id);
                    }
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }
        });
        try {
            holder.rebuild(new IndexBuilder(new SimpleAttrCodec(), 2), dataDir);
        } finally {
            rebuilding.set(false);
        }
        writer.get(DEADLOCK_GUARD_SECONDS, TimeUnit.SECONDS);

        Map<UUID, FileMetadata> indexed = new HashMap<>();
        holder.current().forEach(m -> indexed.put(m.fileId(), m));
        assertThat(indexed).isEqualTo(model);
        assertThat(holder.current().stats()).isEqualTo(FileIndexModelTest.recount(model.values()));
        holder.current().checkInvariants();
    }

    @Test
    void aFailedRebuildKeepsTheLiveIndex() throws Exception {
        FileIndex live = new FileIndex();
        IndexHolder holder = new IndexHolder(live);
        assertThatThrownBy(() -> holder.rebuild(new IndexBuilder(new SimpleAttrCodec()), dataDir.resolve("gone")))
                .isInstanceOf(IOException.class);
        assertThat(holder.current()).isSameAs(live);
        FileMetadata m = TestFiles.realistic(random, 1);
        holder.put(m);
        assertThat(live.get(m.fileId())).contains(m);
    }

    /** Writes the attr file the way the storage layer does: to a dot-temp name, then an atomic rename. */
    private FileMetadata store(FileMetadata m) throws IOException {
        Path attr = attrOf(m);
        Files.createDirectories(attr.getParent());
        Path temp = attr.resolveSibling("." + attr.getFileName() + "." + Thread.currentThread().threadId() + ".tmp");
        SimpleAttrCodec.write(temp, m);
        Files.move(temp, attr, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return m;
    }

    private Path attrOf(FileMetadata m) {
        return dataDir.resolve(m.storagePath() + IndexBuilder.ATTR_SUFFIX);
    }
}
