package io.artsore.se.storage.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.artsore.se.domain.FileMetadata;
import io.artsore.se.domain.FileStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tombstones: a purged file keeps its place in the list order (status deleted) until dropped, so a client paging
 * with {@code offset += len(items)} never steps over a file; lookups, counters and background visits ignore it.
 */
class FileIndexTombstoneTest {
    private static final FileStatus[] FILTERS = {null, FileStatus.ACTIVE, FileStatus.EXPIRED, FileStatus.DELETED};

    /** A tombstone in the model: the purged file's last metadata and when it was removed. */
    private record Tomb(FileMetadata last, long removedAt) {
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void randomOperationsMatchAModelOfLiveFilesAndTombstones(long seed) {
        Random random = new Random(seed);
        FileIndex index = new FileIndex();
        Map<UUID, FileMetadata> live = new HashMap<>();
        Map<UUID, Tomb> tombs = new HashMap<>();
        List<UUID> ids = new ArrayList<>();
        long now = 1_000;
        for (int op = 0; op < 6000; op++) {
            now += random.nextInt(3);
            int kind = random.nextInt(12);
            UUID id = ids.isEmpty() ? null : ids.get(random.nextInt(ids.size()));
            if (kind < 4 || id == null) {
                FileMetadata m = TestFiles.realistic(random, random.nextInt(400))
                        .withStatus(FileStatus.values()[random.nextInt(3)]);
                index.put(m);
                live.put(m.fileId(), m);
                ids.add(m.fileId());
            } else if (kind < 7) {
                FileMetadata before = live.remove(id);
                assertThat(index.tombstone(id, now)).isEqualTo(java.util.Optional.ofNullable(before));
                if (before != null) {
                    tombs.put(id, new Tomb(before, now));
                }
            } else if (kind < 8) {
                // put again (a file restored under its id): the tombstone gives way to the file
                FileMetadata m = Stream.of(live.get(id), tombs.containsKey(id) ? tombs.get(id).last() : null)
                        .filter(java.util.Objects::nonNull).findFirst().orElse(null);
                if (m != null) {
                    FileMetadata back = m.withStatus(FileStatus.ACTIVE);
                    index.put(back);
                    live.put(id, back);
                    tombs.remove(id);
                }
            } else if (kind < 9) {
                // a tombstone seen elsewhere (on disk, in the index being replaced)
                FileMetadata m = TestFiles.realistic(random, random.nextInt(400));
                long removedAt = now - random.nextInt(50);
                index.addTombstone(m, removedAt);
                tombs.put(m.fileId(), new Tomb(m, removedAt));
                ids.add(m.fileId());
            } else if (kind < 10) {
                long cutoff = now - 100;
                index.dropTombstonesRemovedBefore(cutoff);
                tombs.values().removeIf(t -> t.removedAt() < cutoff);
            } else if (kind < 11) {
                index.remove(id);
                live.remove(id);
                tombs.remove(id);
            } else if (live.containsKey(id)) {
                FileMetadata changed = live.get(id).withStatus(FileStatus.values()[random.nextInt(3)]);
                index.put(changed);
                live.put(id, changed);
            }
            if (op % 500 == 0) {
                assertMatchesModel(index, live, tombs, random);
            }
        }
        assertMatchesModel(index, live, tombs, random);
    }

    @Test
    void aLiveFileWinsOverATombstoneAndTheLaterOfTwoTombstonesIsKept() {
        Random random = new Random(5);
        FileIndex index = new FileIndex();
        FileMetadata m = TestFiles.realistic(random, 10);
        index.put(m);
        index.addTombstone(m, 100);
        assertThat(index.get(m.fileId())).contains(m);
        assertThat(index.tombstoneCount()).isZero();

        index.tombstone(m.fileId(), 200);
        index.addTombstone(m, 150);
        assertThat(index.tombstoneRemovedAt(m.fileId())).contains(200L);
        index.addTombstone(m, 250);
        assertThat(index.tombstoneRemovedAt(m.fileId())).contains(250L);
        assertThat(index.page(null, 0, 10).items()).extracting(FileMetadata::status).containsExactly(FileStatus.DELETED);
        index.checkInvariants();
    }

    @Test
    void tombstonesAreListedAsDeletedButInvisibleToLookupsCountersAndVisits() {
        Random random = new Random(6);
        FileIndex index = new FileIndex();
        FileMetadata a = TestFiles.realistic(random, 1);
        FileMetadata b = TestFiles.realistic(random, 2).withStatus(FileStatus.EXPIRED);
        index.put(a);
        index.put(b);
        index.tombstone(b.fileId(), 7);

        assertThat(index.get(b.fileId())).isEmpty();
        assertThat(index.size()).isEqualTo(1);
        assertThat(index.stats()).isEqualTo(new IndexStats(1, 0, 0, a.size()));
        assertThat(index.bytesOf(FileStatus.EXPIRED)).isZero();
        List<UUID> visited = new ArrayList<>();
        index.forEach(m -> visited.add(m.fileId()));
        assertThat(visited).containsExactly(a.fileId());
        assertThat(index.page(null, 0, 10).items()).containsExactly(a, b.withStatus(FileStatus.DELETED));
        assertThat(index.page(FileStatus.DELETED, 0, 10).total()).isEqualTo(1);
        assertThat(index.page(FileStatus.EXPIRED, 0, 10).total()).isZero();
        assertThat(index.newestUploadedAt()).isEqualTo(b.uploadedAt());

        assertThat(index.dropTombstonesRemovedBefore(7)).isZero();
        assertThat(index.dropTombstonesRemovedBefore(8)).isEqualTo(1);
        assertThat(index.page(null, 0, 10).items()).containsExactly(a);
        index.checkInvariants();
    }

    /** The registry sync of the issue: pages of 50 while the oldest 200 files are purged one by one. */
    @Test
    void pagingWhileTheOldestFilesArePurgedSeesEveryFileExactlyOnce() {
        Random random = new Random(21);
        FileIndex index = new FileIndex();
        List<FileMetadata> files = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            FileMetadata m = TestFiles.realistic(random, i);
            index.put(m);
            files.add(m);
        }
        List<UUID> seen = new ArrayList<>();
        int purged = 0;
        for (long offset = 0; ; ) {
            List<FileMetadata> items = index.page(null, offset, 50).items();
            if (items.isEmpty()) {
                break;
            }
            items.forEach(m -> seen.add(m.fileId()));
            offset += items.size();
            for (int k = 0; k < 5 && purged < 200; k++, purged++) {
                index.tombstone(files.get(purged).fileId(), purged);
            }
        }
        assertThat(purged).isEqualTo(200);
        assertThat(seen).hasSize(2000).doesNotHaveDuplicates()
                .containsAll(files.stream().map(FileMetadata::fileId).toList());
    }

    private static void assertMatchesModel(FileIndex index, Map<UUID, FileMetadata> live, Map<UUID, Tomb> tombs,
                                           Random random) {
        index.checkInvariants();
        assertThat(index.size()).isEqualTo(live.size());
        assertThat(index.tombstoneCount()).isEqualTo(tombs.size());
        assertThat(index.stats()).isEqualTo(FileIndexModelTest.recount(live.values()));
        List<FileMetadata> listed = new ArrayList<>(live.values());
        tombs.values().forEach(t -> listed.add(t.last().withStatus(FileStatus.DELETED)));
        listed.sort(FileIndex.LIST_ORDER);
        for (FileStatus filter : FILTERS) {
            List<FileMetadata> expected = listed.stream().filter(m -> filter == null || m.status() == filter).toList();
            for (int limit : new int[] {1, 13, 500, 10_000}) {
                long offset = random.nextInt(Math.max(1, expected.size()));
                IndexPage page = index.page(filter, offset, limit);
                assertThat(page.total()).isEqualTo(expected.size());
                assertThat(page.items()).isEqualTo(
                        expected.subList((int) offset, (int) Math.min(offset + limit, expected.size())));
            }
        }
        Set<UUID> visited = new HashSet<>();
        index.forEach(m -> visited.add(m.fileId()));
        assertThat(visited).isEqualTo(live.keySet());
        tombs.forEach((id, t) -> {
            assertThat(index.get(id)).isEmpty();
            assertThat(index.tombstoneRemovedAt(id)).contains(t.removedAt());
        });
    }
}
