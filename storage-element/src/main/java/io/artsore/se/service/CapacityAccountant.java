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
 *
 * <p>A declared length is checked against the free space at once (a file that cannot fit is refused before its
 * body is read), but only reserved as it arrives: holding the whole declared length from the start let a few
 * connections that declare 1 GiB and send a byte a minute hold the whole capacity, and every other upload got
 * 507 (security review M5). The price: uploads that each fit alone may together not fit, and then the one that
 * runs out is refused midway (507, nothing kept).
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

    /**
     * A reservation for an upload of {@code declared} bytes (-1 when unknown), holding its first step.
     *
     * @throws SeException STORAGE_FULL when the declared length does not fit now
     */
    Reservation admit(long declared) {
        Reservation r = new Reservation();
        r.ensure(Math.max(0, declared));
        if (declared > GROWTH_STEP) {
            r.trimTo(GROWTH_STEP);
        }
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

        /** Gives back what is held beyond {@code total} (never below what was ensured since). */
        private void trimTo(long total) {
            if (amount > total) {
                giveBack(amount - total);
                amount = total;
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
