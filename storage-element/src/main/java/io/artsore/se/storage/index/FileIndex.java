package io.artsore.se.storage.index;

import io.artsore.se.domain.FileMetadata;
import io.artsore.se.domain.FileStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;

/**
 * In-memory index of file metadata: lookup by id, pages in the contract's total order
 * (uploaded_at, file_id), exact counters. A cache of attr.json, rebuilt from disk at startup.
 *
 * <p>PLACEHOLDER implementation (correct, O(offset) paging); replaced by an order-statistic structure.
 */
public final class FileIndex {
    static final Comparator<FileMetadata> ORDER =
            Comparator.comparing(FileMetadata::uploadedAt).thenComparing(FileMetadata::fileId);

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<UUID, FileMetadata> byId = new HashMap<>();
    private final TreeSet<FileMetadata> ordered = new TreeSet<>(ORDER);
    private final long[] perStatus = new long[FileStatus.values().length];
    private long usedBytes;

    public Optional<FileMetadata> get(UUID id) {
        lock.readLock().lock();
        try {
            return Optional.ofNullable(byId.get(id));
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Inserts or replaces the entry for {@code m.fileId()}. */
    public void put(FileMetadata m) {
        lock.writeLock().lock();
        try {
            FileMetadata old = byId.put(m.fileId(), m);
            if (old != null) {
                unaccount(old);
                ordered.remove(old);
            }
            ordered.add(m);
            perStatus[m.status().ordinal()]++;
            usedBytes += m.size();
        } finally {
            lock.writeLock().unlock();
        }
    }

    public Optional<FileMetadata> remove(UUID id) {
        lock.writeLock().lock();
        try {
            FileMetadata old = byId.remove(id);
            if (old != null) {
                unaccount(old);
                ordered.remove(old);
            }
            return Optional.ofNullable(old);
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void unaccount(FileMetadata old) {
        perStatus[old.status().ordinal()]--;
        usedBytes -= old.size();
    }

    /** Entries {@code [offset, offset+limit)} of the ordered view, optionally filtered by status. */
    public IndexPage page(FileStatus status, long offset, int limit) {
        lock.readLock().lock();
        try {
            long total = status == null ? byId.size() : perStatus[status.ordinal()];
            List<FileMetadata> items = new ArrayList<>(Math.min(limit, 1024));
            long skipped = 0;
            Iterator<FileMetadata> it = ordered.iterator();
            while (it.hasNext() && items.size() < limit) {
                FileMetadata m = it.next();
                if (status != null && m.status() != status) {
                    continue;
                }
                if (skipped++ < offset) {
                    continue;
                }
                items.add(m);
            }
            return new IndexPage(items, total);
        } finally {
            lock.readLock().unlock();
        }
    }

    public IndexStats stats() {
        lock.readLock().lock();
        try {
            return new IndexStats(perStatus[FileStatus.ACTIVE.ordinal()], perStatus[FileStatus.EXPIRED.ordinal()],
                    perStatus[FileStatus.DELETED.ordinal()], usedBytes);
        } finally {
            lock.readLock().unlock();
        }
    }

    public int size() {
        lock.readLock().lock();
        try {
            return byId.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Visits a point-in-time copy of all entries (safe to call while writers run). */
    public void forEach(Consumer<FileMetadata> visitor) {
        List<FileMetadata> copy;
        lock.readLock().lock();
        try {
            copy = new ArrayList<>(ordered);
        } finally {
            lock.readLock().unlock();
        }
        copy.forEach(visitor);
    }
}
