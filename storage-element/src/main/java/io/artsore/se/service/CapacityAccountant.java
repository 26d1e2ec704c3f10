package io.artsore.se.service;

import io.artsore.se.domain.ErrorCode;
import io.artsore.se.domain.SeException;
import io.artsore.se.storage.filestore.DiskSpace;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * Admission control for uploads: capacity limit minus used bytes minus what in-flight uploads have reserved,
 * and the volume's real free space. Reservations grow while a body streams in (in steps, so the lock is taken
 * rarely) and are checked under one lock, so concurrent uploads together can never overshoot the limit.
 */
final class CapacityAccountant {
    static final long GROWTH_STEP = 8L * 1024 * 1024;

    private final long capacity;
    private final LongSupplier usedBytes;
    private final DiskSpace disk;
    private final Path dataDir;
    private long reserved;

    CapacityAccountant(long capacity, LongSupplier usedBytes, DiskSpace disk, Path dataDir) {
        this.capacity = capacity;
        this.usedBytes = usedBytes;
        this.disk = disk;
        this.dataDir = dataDir;
    }

    Reservation reserve(long bytes) {
        Reservation r = new Reservation();
        r.ensure(bytes);
        return r;
    }

    synchronized long reservedBytes() {
        return reserved;
    }

    private synchronized long grow(long current, long needed) {
        long extra = needed - current;
        long free = capacity - usedBytes.getAsLong() - reserved;
        if (extra > free) {
            throw new SeException(ErrorCode.STORAGE_FULL, "not enough storage capacity for this file");
        }
        long diskFree;
        try {
            diskFree = disk.usableBytes(dataDir);
        } catch (IOException e) {
            throw new SeException(ErrorCode.INTERNAL_ERROR, "cannot determine free disk space", e);
        }
        if (extra > diskFree) {
            throw new SeException(ErrorCode.STORAGE_FULL, "not enough disk space for this file");
        }
        long grant = Math.min(Math.max(extra, GROWTH_STEP), Math.min(free, diskFree));
        reserved += grant;
        return current + grant;
    }

    private synchronized void giveBack(long amount) {
        reserved -= amount;
    }

    /** Space held by one in-flight upload; released once the file is committed (and counted as used) or dropped. */
    final class Reservation {
        private long amount;
        private boolean released;

        /** Makes sure at least {@code total} bytes are held. @throws SeException STORAGE_FULL */
        void ensure(long total) {
            if (total > amount) {
                amount = grow(amount, total);
            }
        }

        void release() {
            if (!released) {
                released = true;
                giveBack(amount);
            }
        }
    }
}
