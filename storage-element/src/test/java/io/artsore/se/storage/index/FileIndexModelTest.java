package io.artsore.se.storage.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.artsore.se.domain.FileMetadata;
import io.artsore.se.domain.FileStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The index against a naive model: a map, sorted and sliced on every page. */
class FileIndexModelTest {
    private static final FileStatus[] FILTERS = {null, FileStatus.ACTIVE, FileStatus.EXPIRED, FileStatus.DELETED};

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void randomOperationsKeepPagesTotalsAndCountersExact(long seed) {
        Random random = new Random(seed);
        FileIndex index = new FileIndex();
        Map<UUID, FileMetadata> model = new HashMap<>();
        List<UUID> ids = new ArrayList<>();
        // Few distinct seconds, so many entries tie on uploaded_at and the file_id decides.
        int operations = 3000 + random.nextInt(9000);
        for (int op = 0; op < operations; op++) {
            int kind = random.nextInt(10);
            if (kind < 5 || ids.isEmpty()) {
                FileMetadata m = TestFiles.realistic(random, random.nextInt(500))
                        .withStatus(FileStatus.values()[random.nextInt(3)]);
                index.put(m);
                model.put(m.fileId(), m);
                ids.add(m.fileId());
            } else {
                UUID id = ids.get(random.nextInt(ids.size()));
                FileMetadata current = model.get(id);
                if (kind < 7) {
                    assertThat(index.remove(id)).isEqualTo(java.util.Optional.ofNullable(current));
                    model.remove(id);
                } else if (kind < 9 && current != null) {
                    FileMetadata changed = current.withStatus(FileStatus.values()[random.nextInt(3)]);
                    index.put(changed);
                    model.put(id, changed);
                } else if (current != null) {
                    // Replace with a different uploaded_at: the entry must move in the order.
                    FileMetadata moved = TestFiles.realistic(id, random, Instant.parse("2026-01-01T00:00:00Z")
                            .plusSeconds(random.nextInt(500)));
                    index.put(moved);
                    model.put(id, moved);
                }
            }
            if (op % 1000 == 0) {
                assertMatchesModel(index, model, random);
            }
        }
        assertMatchesModel(index, model, random);
        // Shrink to a few entries to exercise merges and borrowing all the way down.
        for (UUID id : ids) {
            if (random.nextInt(20) != 0) {
                index.remove(id);
                model.remove(id);
            }
        }
        assertMatchesModel(index, model, random);
    }

    @Test
    void tiesOnUploadedAtAreBrokenByFileIdInTextOrder() {
        Instant same = Instant.parse("2026-02-21T10:15:30Z");
        UUID low = UUID.fromString("00000000-0000-0000-0000-000000000001");
        UUID mid = UUID.fromString("7fffffff-ffff-ffff-ffff-ffffffffffff");
        UUID high = UUID.fromString("ffffffff-0000-0000-0000-000000000000"); // negative as a signed long
        FileIndex index = new FileIndex();
        Random random = new Random(3);
        for (UUID id : List.of(high, low, mid)) {
            index.put(TestFiles.realistic(id, random, same));
        }
        assertThat(index.page(null, 0, 10).items()).extracting(FileMetadata::fileId).containsExactly(low, mid, high);
        assertThat(index.page(null, 1, 1).items()).extracting(FileMetadata::fileId).containsExactly(mid);
    }

    @Test
    void pagingWithOffsetPlusItemsWhileNewerFilesArriveSeesEveryExistingFileExactlyOnce() {
        Random random = new Random(11);
        FileIndex index = new FileIndex();
        Set<UUID> existing = new HashSet<>();
        for (int i = 0; i < 5000; i++) {
            FileMetadata m = TestFiles.realistic(random, random.nextInt(1000))
                    .withStatus(i % 7 == 0 ? FileStatus.DELETED : FileStatus.ACTIVE);
            index.put(m);
            existing.add(m.fileId());
        }
        long newer = 10_000; // newer than every existing file, and than every file added before
        for (FileStatus filter : new FileStatus[] {null, FileStatus.ACTIVE}) {
            List<UUID> seen = new ArrayList<>();
            long offset = 0;
            while (true) {
                List<FileMetadata> items = index.page(filter, offset, 1 + random.nextInt(300)).items();
                if (items.isEmpty()) {
                    break;
                }
                items.forEach(m -> seen.add(m.fileId()));
                offset += items.size();
                for (int i = random.nextInt(50); i > 0; i--) {
                    index.put(TestFiles.realistic(random, newer++));
                }
            }
            assertThat(new HashSet<>(seen)).hasSameSizeAs(seen); // nothing twice
            Set<UUID> expected = new HashSet<>();
            index.forEach(m -> {
                if (existing.contains(m.fileId()) && (filter == null || m.status() == filter)) {
                    expected.add(m.fileId());
                }
            });
            assertThat(seen).containsAll(expected);
        }
    }

    @Test
    void negativeOffsetOrLimitIsRejectedAndOffsetsPastTheEndGiveEmptyPages() {
        FileIndex index = new FileIndex();
        index.put(TestFiles.realistic(new Random(1), 0));
        assertThat(index.page(null, 1, 10).items()).isEmpty();
        assertThat(index.page(null, 1, 10).total()).isEqualTo(1);
        assertThat(index.page(null, Long.MAX_VALUE, 10).items()).isEmpty();
        assertThat(index.page(FileStatus.EXPIRED, 0, 10).total()).isZero();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> index.page(null, -1, 10))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> index.page(null, 0, -1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    static void assertMatchesModel(FileIndex index, Map<UUID, FileMetadata> model, Random random) {
        index.checkInvariants();
        assertThat(index.size()).isEqualTo(model.size());
        assertThat(index.stats()).isEqualTo(recount(model.values()));
        for (FileStatus status : FileStatus.values()) {
            assertThat(index.bytesOf(status)).isEqualTo(
                    model.values().stream().filter(m -> m.status() == status).mapToLong(FileMetadata::size).sum());
        }
        for (FileStatus filter : FILTERS) {
            List<FileMetadata> expected = model.values().stream()
                    .filter(m -> filter == null || m.status() == filter).sorted(FileIndex.LIST_ORDER).toList();
            int[] limits = {0, 1, 7, 64, 100, 1000, 10_000};
            for (int limit : limits) {
                for (long offset = 0; offset <= expected.size() + 1; offset += 1 + random.nextInt(Math.max(1, limit))) {
                    IndexPage page = index.page(filter, offset, limit);
                    int from = (int) Math.min(offset, expected.size());
                    int to = (int) Math.min(offset + limit, expected.size());
                    assertThat(page.total()).isEqualTo(expected.size());
                    assertThat(page.items()).isEqualTo(expected.subList(from, to));
                }
            }
        }
        for (FileMetadata m : model.values()) {
            assertThat(index.get(m.fileId())).contains(m);
        }
    }

    static IndexStats recount(Iterable<FileMetadata> files) {
        long[] perStatus = new long[3];
        long bytes = 0;
        for (FileMetadata m : files) {
            perStatus[m.status().ordinal()]++;
            bytes += m.size();
        }
        return new IndexStats(perStatus[0], perStatus[1], perStatus[2], bytes);
    }
}
