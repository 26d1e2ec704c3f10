package io.artsore.se.storage.index;

import io.artsore.se.domain.FileMetadata;
import io.artsore.se.domain.FileStatus;
import java.time.Instant;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.StampedLock;
import java.util.function.Consumer;

/**
 * In-memory index of file metadata: lookup by id, pages in the contract's total order (uploaded_at, file_id)
 * in O(log n + limit) with and without a status filter, exact counters. A cache of attr.json, rebuilt from
 * disk by {@link IndexBuilder}; the storage engine ({@code StorageEngine.rebuildIndex}) swaps in rebuilds while
 * the server runs.
 *
 * <p>Purged files leave a <em>tombstone</em> in the unfiltered list order and in the {@code deleted} filter: their
 * last metadata with status {@code deleted}, so that removing a file never shifts the offsets of the files after
 * it while a client pages through (the Admin Module's registry sync). Tombstones are invisible to {@link #get},
 * {@link #size}, {@link #stats}, {@link #bytesOf} and {@link #forEach}; they are dropped by
 * {@link #dropTombstonesRemovedBefore} once no sync can still need them, or replaced when the id is put again.
 *
 * <p>Entries are stored compactly ({@link CompactEntry}) and turned back into {@link FileMetadata} on read,
 * outside the lock. Writers hold the write lock only for the hash-table and tree updates; lookups by id are
 * optimistic and do not block; pages and counters take the read lock briefly.
 */
public final class FileIndex {
    /**
     * The list order: {@code uploaded_at}, then {@code file_id} as its canonical text sorts (which is the
     * unsigned order of the UUID's bits; {@link UUID#compareTo} is signed and would differ).
     */
    public static final Comparator<FileMetadata> LIST_ORDER = Comparator.comparing(FileMetadata::uploadedAt)
            .thenComparing(FileMetadata::fileId, FileIndex::compareIdsAsText);

    private static final FileStatus[] STATUSES = FileStatus.values();

    private final StampedLock lock = new StampedLock();
    private final Interner interner;
    private final IdTable byId;
    private final OrderTree all;
    private final OrderTree[] byStatus;
    private final long[] bytesByStatus;
    /** Purged files still in the list order: id → the tombstone entry and when the file was removed. */
    private final Map<UUID, Tombstone> tombstones = new HashMap<>();

    private record Tombstone(CompactEntry entry, long removedAtMillis) {
    }

    public FileIndex() {
        this(new Interner(), new IdTable(0), new OrderTree(), emptyStatusTrees(), new long[STATUSES.length]);
    }

    private FileIndex(Interner interner, IdTable byId, OrderTree all, OrderTree[] byStatus, long[] bytesByStatus) {
        this.interner = interner;
        this.byId = byId;
        this.all = all;
        this.byStatus = byStatus;
        this.bytesByStatus = bytesByStatus;
    }

    /**
     * Builds an index from the entries {@code table} holds (distinct ids), in O(n log n) with a parallel sort
     * instead of n tree insertions. {@code arrived} is everything put into the table in the order it came, copies
     * that lost their id included: the sort is near linear when most of it is in list order already (a
     * checkpoint's entries).
     */
    static FileIndex bulkLoad(Interner interner, IdTable table, List<CompactEntry> arrived) {
        CompactEntry[] sorted = arrived.stream().filter(e -> table.get(e.idHi, e.idLo) == e)
                .toArray(CompactEntry[]::new);
        Arrays.parallelSort(sorted, CompactEntry::compare);
        OrderTree[] statusTrees = new OrderTree[STATUSES.length];
        CompactEntry[] ofStatus = new CompactEntry[sorted.length];
        long[] bytes = new long[STATUSES.length];
        for (CompactEntry e : sorted) {
            bytes[e.status().ordinal()] += e.size;
        }
        for (FileStatus status : STATUSES) {
            int n = 0;
            for (CompactEntry e : sorted) {
                if (e.status() == status) {
                    ofStatus[n++] = e;
                }
            }
            statusTrees[status.ordinal()] = OrderTree.fromSorted(ofStatus, n);
        }
        return new FileIndex(interner, table, OrderTree.fromSorted(sorted, sorted.length), statusTrees, bytes);
    }

    /** Converts metadata into this index's compact form (thread-safe, no lock needed). */
    CompactEntry compact(FileMetadata m) {
        return CompactEntry.of(m, interner);
    }

    public Optional<FileMetadata> get(UUID id) {
        long hi = id.getMostSignificantBits();
        long lo = id.getLeastSignificantBits();
        long stamp = lock.tryOptimisticRead();
        CompactEntry e = byId.get(hi, lo);
        if (!lock.validate(stamp)) {
            stamp = lock.readLock();
            try {
                e = byId.get(hi, lo);
            } finally {
                lock.unlockRead(stamp);
            }
        }
        return e == null ? Optional.empty() : Optional.of(e.toMetadata());
    }

    /** Inserts or replaces the entry for {@code m.fileId()}. */
    public void put(FileMetadata m) {
        putEntry(compact(m));
    }

    void putEntry(CompactEntry e) {
        long stamp = lock.writeLock();
        try {
            CompactEntry old = byId.put(e);
            if (old == null) {
                if (!tombstones.isEmpty()) { // every put passes here: no UUID allocated when there is no tombstone
                    unlinkTombstone(new UUID(e.idHi, e.idLo));
                }
                all.insert(e);
                byStatus[e.status().ordinal()].insert(e);
            } else {
                bytesByStatus[old.status().ordinal()] -= old.size;
                reposition(all, old, e);
                if (old.status() == e.status()) {
                    reposition(byStatus[e.status().ordinal()], old, e);
                } else {
                    byStatus[old.status().ordinal()].remove(old);
                    byStatus[e.status().ordinal()].insert(e);
                }
            }
            bytesByStatus[e.status().ordinal()] += e.size;
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    private static void reposition(OrderTree tree, CompactEntry old, CompactEntry e) {
        if (CompactEntry.sameOrderKey(old, e)) {
            tree.replace(e);
        } else {
            tree.remove(old);
            tree.insert(e);
        }
    }

    /**
     * Removes a file from lookups and counters but keeps it in the list order as a tombstone removed at
     * {@code removedAtMillis}; returns what was indexed. Nothing happens for an id that is not indexed.
     */
    public Optional<FileMetadata> tombstone(UUID id, long removedAtMillis) {
        CompactEntry old;
        long stamp = lock.writeLock();
        try {
            old = byId.remove(id.getMostSignificantBits(), id.getLeastSignificantBits());
            if (old != null) {
                byStatus[old.status().ordinal()].remove(old);
                bytesByStatus[old.status().ordinal()] -= old.size;
                CompactEntry tomb = old.asTombstone();
                all.replace(tomb);
                byStatus[FileStatus.DELETED.ordinal()].insert(tomb);
                tombstones.put(id, new Tombstone(tomb, removedAtMillis));
            }
        } finally {
            lock.unlockWrite(stamp);
        }
        return old == null ? Optional.empty() : Optional.of(old.toMetadata());
    }

    /**
     * Adds the tombstone of a file removed at {@code removedAtMillis} (recorded on disk, or seen by another
     * index). An indexed file of that id wins; of two tombstones of one id the later removal is kept.
     */
    public void addTombstone(FileMetadata m, long removedAtMillis) {
        CompactEntry tomb = compact(m).asTombstone();
        long stamp = lock.writeLock();
        try {
            if (byId.get(tomb.idHi, tomb.idLo) != null) {
                return;
            }
            Tombstone existing = tombstones.get(m.fileId());
            if (existing != null) {
                if (existing.removedAtMillis() >= removedAtMillis) {
                    return;
                }
                unlinkTombstone(m.fileId());
            }
            all.insert(tomb);
            byStatus[FileStatus.DELETED.ordinal()].insert(tomb);
            tombstones.put(m.fileId(), new Tombstone(tomb, removedAtMillis));
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /**
     * Removes a file or its tombstone entirely (later entries move up one place in the list order); returns what
     * was indexed.
     */
    public Optional<FileMetadata> remove(UUID id) {
        CompactEntry old;
        long stamp = lock.writeLock();
        try {
            old = byId.remove(id.getMostSignificantBits(), id.getLeastSignificantBits());
            if (old != null) {
                all.remove(old);
                byStatus[old.status().ordinal()].remove(old);
                bytesByStatus[old.status().ordinal()] -= old.size;
            }
            unlinkTombstone(id);
        } finally {
            lock.unlockWrite(stamp);
        }
        return old == null ? Optional.empty() : Optional.of(old.toMetadata());
    }

    /** Drops the tombstones of files removed before {@code cutoffMillis}; returns how many. */
    public int dropTombstonesRemovedBefore(long cutoffMillis) {
        long stamp = lock.writeLock();
        try {
            List<UUID> expired = tombstones.entrySet().stream()
                    .filter(t -> t.getValue().removedAtMillis() < cutoffMillis).map(Map.Entry::getKey).toList();
            expired.forEach(this::unlinkTombstone);
            return expired.size();
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /** Calls {@code visitor} with the last metadata and removal time of every tombstone (a snapshot). */
    public void forEachTombstone(TombstoneVisitor visitor) {
        List<Tombstone> snapshot;
        long stamp = lock.readLock();
        try {
            snapshot = List.copyOf(tombstones.values());
        } finally {
            lock.unlockRead(stamp);
        }
        for (Tombstone t : snapshot) {
            visitor.visit(t.entry().toMetadata(), t.removedAtMillis());
        }
    }

    @FunctionalInterface
    public interface TombstoneVisitor {
        void visit(FileMetadata lastMetadata, long removedAtMillis);
    }

    /** When the file {@code id} was removed, if its tombstone is here. */
    public Optional<Long> tombstoneRemovedAt(UUID id) {
        long stamp = lock.readLock();
        try {
            Tombstone t = tombstones.get(id);
            return t == null ? Optional.empty() : Optional.of(t.removedAtMillis());
        } finally {
            lock.unlockRead(stamp);
        }
    }

    public int tombstoneCount() {
        long stamp = lock.readLock();
        try {
            return tombstones.size();
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** The uploaded_at of the last entry in list order, tombstones included; null when there is none. */
    public Instant newestUploadedAt() {
        long stamp = lock.readLock();
        try {
            CompactEntry[] last = new CompactEntry[1];
            return all.size() == 0 || all.copyRange(all.size() - 1, last) == 0 ? null
                    : Instant.ofEpochSecond(last[0].epochSecond, last[0].nano);
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** Caller holds the write lock. */
    private void unlinkTombstone(UUID id) {
        Tombstone t = tombstones.remove(id);
        if (t != null) {
            all.remove(t.entry());
            byStatus[FileStatus.DELETED.ordinal()].remove(t.entry());
        }
    }

    /**
     * Entries {@code [offset, offset+limit)} of the list order, optionally only those with {@code status};
     * {@code total} counts every entry matching the filter. The entries are taken under the lock; the items
     * are decoded from them each time they are read.
     */
    public IndexPage page(FileStatus status, long offset, int limit) {
        if (offset < 0 || limit < 0) {
            throw new IllegalArgumentException("offset and limit must not be negative");
        }
        CompactEntry[] slice;
        int n;
        long total;
        long stamp = lock.readLock();
        try {
            OrderTree tree = status == null ? all : byStatus[status.ordinal()];
            total = tree.size();
            slice = new CompactEntry[(int) Math.max(0, Math.min(limit, total - offset))];
            n = tree.copyRange(offset, slice);
        } finally {
            lock.unlockRead(stamp);
        }
        int count = n;
        // decoded one entry at a time as the page is read: a 10 000-item page keeps only its compact entries
        List<FileMetadata> items = new AbstractList<>() {
            @Override
            public FileMetadata get(int index) {
                Objects.checkIndex(index, count);
                return slice[index].toMetadata();
            }

            @Override
            public int size() {
                return count;
            }
        };
        return new IndexPage(items, total);
    }

    public IndexStats stats() {
        long stamp = lock.readLock();
        try {
            return new IndexStats(byStatus[FileStatus.ACTIVE.ordinal()].size(),
                    byStatus[FileStatus.EXPIRED.ordinal()].size(),
                    byStatus[FileStatus.DELETED.ordinal()].size() - tombstones.size(),
                    Arrays.stream(bytesByStatus).sum());
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** Sum of the sizes of the indexed files with {@code status} (for capacity rules that exclude some). */
    public long bytesOf(FileStatus status) {
        long stamp = lock.readLock();
        try {
            return bytesByStatus[status.ordinal()];
        } finally {
            lock.unlockRead(stamp);
        }
    }

    public int size() {
        long stamp = lock.readLock();
        try {
            return byId.size();
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** Visits a point-in-time snapshot of all indexed files in list order, without tombstones (safe while writers run). */
    public void forEach(Consumer<FileMetadata> visitor) {
        for (CompactEntry e : liveEntries()) {
            visitor.accept(e.toMetadata());
        }
    }

    /** A point-in-time copy of the indexed entries in list order, without tombstones (for a checkpoint). */
    CompactEntry[] liveEntries() {
        CompactEntry[] snapshot;
        long stamp = lock.readLock();
        try {
            snapshot = all.toArray();
        } finally {
            lock.unlockRead(stamp);
        }
        return Arrays.stream(snapshot).filter(e -> !e.isTombstone()).toArray(CompactEntry[]::new);
    }

    /** Checks the internal structures against each other (for tests). */
    void checkInvariants() {
        long stamp = lock.readLock();
        try {
            all.checkInvariants();
            long inStatusTrees = 0;
            for (OrderTree tree : byStatus) {
                tree.checkInvariants();
                inStatusTrees += tree.size();
            }
            long listed = (long) byId.size() + tombstones.size();
            if (all.size() != listed || inStatusTrees != listed) {
                throw new IllegalStateException("trees and id table disagree on the size");
            }
        } finally {
            lock.unlockRead(stamp);
        }
    }

    private static int compareIdsAsText(UUID a, UUID b) {
        int c = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
        return c != 0 ? c : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
    }

    private static OrderTree[] emptyStatusTrees() {
        OrderTree[] trees = new OrderTree[STATUSES.length];
        for (int i = 0; i < trees.length; i++) {
            trees[i] = new OrderTree();
        }
        return trees;
    }
}
