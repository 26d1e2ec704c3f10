package io.artsore.se.storage.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.artsore.se.domain.FileMetadata;
import io.artsore.se.domain.FileStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Several writers and readers at once: no exceptions, readers see consistent pages, counters stay exact. */
class FileIndexConcurrencyTest {
    private static final int WRITERS = 3;
    private static final int READERS = 3;
    private static final int OPERATIONS_PER_WRITER = 20_000;

    @Test
    void concurrentWritersAndReadersLeaveExactCounters() throws Exception {
        FileIndex index = new FileIndex();
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS + READERS);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                long seed = w;
                writers.add(pool.submit(() -> write(index, new Random(seed))));
            }
            List<Future<Long>> readers = new ArrayList<>();
            for (int r = 0; r < READERS; r++) {
                long seed = 100 + r;
                readers.add(pool.submit(() -> read(index, new Random(seed), writers)));
            }
            for (Future<?> f : writers) {
                f.get(2, TimeUnit.MINUTES);
            }
            for (Future<Long> f : readers) {
                assertThat(f.get(2, TimeUnit.MINUTES)).isPositive();
            }
        } finally {
            pool.shutdownNow();
        }
        index.checkInvariants();
        List<FileMetadata> all = new ArrayList<>();
        index.forEach(all::add);
        assertThat(index.stats()).isEqualTo(FileIndexModelTest.recount(all));
        assertThat(all).hasSize(index.size()).isSortedAccordingTo(FileIndex.LIST_ORDER);
    }

    /** Each writer owns its ids (as the storage layer's per-file locks guarantee) and mixes every change. */
    private static void write(FileIndex index, Random random) {
        List<FileMetadata> mine = new ArrayList<>();
        for (int i = 0; i < OPERATIONS_PER_WRITER; i++) {
            int kind = random.nextInt(4);
            if (kind < 2 || mine.isEmpty()) {
                FileMetadata m = TestFiles.realistic(random, random.nextInt(10_000));
                index.put(m);
                mine.add(m);
            } else if (kind == 2) {
                int at = random.nextInt(mine.size());
                FileMetadata changed = mine.get(at).withStatus(FileStatus.values()[random.nextInt(3)]);
                index.put(changed);
                mine.set(at, changed);
            } else {
                FileMetadata gone = mine.remove(random.nextInt(mine.size()));
                assertThat(index.remove(gone.fileId())).contains(gone);
            }
        }
    }

    /** Pages must always be sorted, within the limit, and never larger than their total. */
    private static long read(FileIndex index, Random random, List<Future<?>> writers) {
        long reads = 0;
        while (reads < 5 || (reads < 200_000 && writers.stream().anyMatch(f -> !f.isDone()))) {
            FileStatus filter = random.nextBoolean() ? null : FileStatus.values()[random.nextInt(3)];
            IndexPage page = index.page(filter, random.nextInt(Math.max(1, index.size())), 1 + random.nextInt(500));
            assertThat(page.items()).isSortedAccordingTo(FileIndex.LIST_ORDER);
            assertThat((long) page.items().size()).isLessThanOrEqualTo(page.total());
            if (filter != null) {
                assertThat(page.items()).allMatch(m -> m.status() == filter);
            }
            if (!page.items().isEmpty()) {
                FileMetadata any = page.items().get(0);
                index.get(any.fileId()); // may have been removed since; must not throw
            }
            IndexStats stats = index.stats();
            assertThat(stats.active()).isNotNegative();
            reads++;
        }
        return reads;
    }
}
