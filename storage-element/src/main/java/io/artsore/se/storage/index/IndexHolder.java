package io.artsore.se.storage.index;

import io.artsore.se.domain.FileMetadata;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The live index, replaced as a whole by rebuilds (startup, reconcile, follower refresh) without making
 * requests wait for the disk scan. Readers use {@link #current()}; writers must go through {@link #put} and
 * {@link #remove} so that changes made while a rebuild scans are carried over to the new index.
 *
 * <p>While a rebuild runs, writers record the ids they touch. Before the swap the state of each touched id is
 * copied from the live index (which saw every write) into the new one; that copy and the swap happen under
 * a short exclusive guard that writers share among themselves the rest of the time. Readers never wait.
 */
public final class IndexHolder {
    private final ReentrantReadWriteLock swapGuard = new ReentrantReadWriteLock();
    private final ReentrantLock rebuildLock = new ReentrantLock();
    private volatile FileIndex current;
    /** Ids written since the running rebuild started; null when no rebuild runs. Guarded by swapGuard. */
    private Set<UUID> touchedDuringRebuild;

    public IndexHolder(FileIndex initial) {
        this.current = initial;
    }

    /** The index to read from; it may be replaced at any time, so fetch it per request. */
    public FileIndex current() {
        return current;
    }

    /** Inserts or replaces the entry for {@code m.fileId()} in the live index. */
    public void put(FileMetadata m) {
        swapGuard.readLock().lock();
        try {
            current.put(m);
            recordTouched(m.fileId());
        } finally {
            swapGuard.readLock().unlock();
        }
    }

    public Optional<FileMetadata> remove(UUID id) {
        swapGuard.readLock().lock();
        try {
            Optional<FileMetadata> removed = current.remove(id);
            recordTouched(id);
            return removed;
        } finally {
            swapGuard.readLock().unlock();
        }
    }

    /**
     * Builds a new index from {@code dataDir} and swaps it in, keeping every write made meanwhile. One rebuild
     * runs at a time; a second caller waits for the first. On failure the live index stays.
     */
    public BuildResult rebuild(IndexBuilder builder, Path dataDir) throws IOException {
        rebuildLock.lock();
        try {
            setTouched(ConcurrentHashMap.newKeySet());
            BuildResult result;
            try {
                result = builder.build(dataDir);
            } catch (IOException | RuntimeException | Error e) {
                setTouched(null);
                throw e;
            }
            swapIn(result.index());
            return result;
        } finally {
            rebuildLock.unlock();
        }
    }

    private void swapIn(FileIndex fresh) {
        swapGuard.writeLock().lock();
        try {
            FileIndex live = current;
            for (UUID id : touchedDuringRebuild) {
                live.get(id).ifPresentOrElse(fresh::put, () -> fresh.remove(id));
            }
            current = fresh;
            touchedDuringRebuild = null;
        } finally {
            swapGuard.writeLock().unlock();
        }
    }

    private void setTouched(Set<UUID> touched) {
        swapGuard.writeLock().lock();
        try {
            touchedDuringRebuild = touched;
        } finally {
            swapGuard.writeLock().unlock();
        }
    }

    /** Called under the shared side of the guard; the set is concurrent, the field only changes exclusively. */
    private void recordTouched(UUID id) {
        Set<UUID> touched = touchedDuringRebuild;
        if (touched != null) {
            touched.add(id);
        }
    }
}
