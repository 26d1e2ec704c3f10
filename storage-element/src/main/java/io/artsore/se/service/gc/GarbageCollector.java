package io.artsore.se.service.gc;

import io.artsore.se.domain.ErrorCode;
import io.artsore.se.domain.FileMetadata;
import io.artsore.se.domain.FileStatus;
import io.artsore.se.domain.SeException;
import io.artsore.se.logging.Events;
import io.artsore.se.metrics.SeMetrics;
import io.artsore.se.service.StorageEngine;
import io.artsore.se.storage.attr.AttrCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Garbage collection (issue 4): active temporary files past {@code expires_at} become {@code expired};
 * {@code deleted} and {@code expired} files are physically removed once their grace period has passed, and the
 * list tombstones of files purged longer than {@code SE_LIST_TOMBSTONE_TTL} ago are dropped.
 *
 * <p>The grace period runs from the moment a file stopped being readable. attr.json records no such time,
 * so it is derived safely:
 * <ul>
 *   <li>expired: from {@code expires_at} (the file became unreadable exactly then, whenever GC marked it);</li>
 *   <li>deleted, and expired without {@code expires_at}: from the attr.json's modification time. The engine
 *       rewrites a sidecar for the last time when it leaves {@code active} (updates need an active file), so
 *       the mtime is the deletion time; a copy that refreshed the mtime only delays the removal.</li>
 * </ul>
 * Every change goes through the engine ({@code markExpired}, {@code purge}): WAL-backed, under the per-file
 * lock. GC keeps no state of its own, so a crash mid-run leaves nothing the next run does not finish. Active
 * files are never touched: leaving {@code active} is final, and a purge candidate is re-read right before.
 */
public final class GarbageCollector {
    private static final Logger LOG = Logger.getLogger(GarbageCollector.class.getName());

    /** Outcome of one run; {@code failed} counts files left for the next run after an error. */
    public record Result(long expired, long purged, long failed) {
    }

    private final StorageEngine engine;
    private final Clock clock;
    private final Duration graceDeleted;
    private final Duration graceExpired;
    private final SeMetrics metrics;

    public GarbageCollector(StorageEngine engine, Clock clock, Duration graceDeleted, Duration graceExpired,
                            SeMetrics metrics) {
        this.engine = engine;
        this.clock = clock;
        this.graceDeleted = graceDeleted;
        this.graceExpired = graceExpired;
        this.metrics = metrics;
    }

    /** One pass over the index. Stops early (between files) when the thread is interrupted (step-down). */
    public synchronized Result run() {
        long startNanos = System.nanoTime();
        Instant now = clock.instant();
        List<FileMetadata> candidates = new ArrayList<>();
        engine.forEachFile(m -> {
            if (m.status() != FileStatus.ACTIVE || m.isExpiredAt(now)) {
                candidates.add(m);
            }
        });
        long expired = 0;
        long purged = 0;
        long failed = 0;
        for (FileMetadata m : candidates) {
            if (Thread.currentThread().isInterrupted()) {
                break;
            }
            try {
                FileMetadata current = m;
                if (current.status() == FileStatus.ACTIVE) {
                    engine.markExpired(current.fileId());
                    expired++;
                    current = current.withStatus(FileStatus.EXPIRED);
                }
                if (graceOver(current, now) && stillInactive(current)) {
                    engine.purge(current.fileId());
                    purged++;
                }
            } catch (SeException e) {
                if (e.code() != ErrorCode.NOT_FOUND) { // gone meanwhile: nothing left to do
                    failed++;
                    Events.log(LOG, Level.WARNING, "gc_file_failed", "file_id", m.fileId(), "reason", e.getMessage());
                }
            } catch (IOException | RuntimeException e) {
                failed++;
                Events.log(LOG, Level.WARNING, "gc_file_failed", e, "file_id", m.fileId(), "outcome", "retry_next_run");
            }
        }
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        metrics.gcRun(seconds, expired, purged);
        Events.log(LOG, Level.INFO, "gc_run", "expired", expired, "purged", purged, "failed", failed,
                "seconds", String.format(Locale.ROOT, "%.3f", seconds));
        dropExpiredTombstones();
        return new Result(expired, purged, failed);
    }

    /** Purged files leave the list order once no sync can still be paging over them (SE_LIST_TOMBSTONE_TTL). */
    private void dropExpiredTombstones() {
        try {
            engine.dropExpiredTombstones();
        } catch (IOException | RuntimeException e) {
            Events.log(LOG, Level.WARNING, "tombstone_drop_failed", e, "outcome", "retry_next_run");
        }
    }

    private boolean graceOver(FileMetadata m, Instant now) throws IOException {
        Duration grace = m.status() == FileStatus.DELETED ? graceDeleted : graceExpired;
        Optional<Instant> since = inactiveSince(m);
        return since.isPresent() && !now.isBefore(since.get().plus(grace));
    }

    private Optional<Instant> inactiveSince(FileMetadata m) throws IOException {
        if (m.status() == FileStatus.EXPIRED && m.expiresAt() != null) {
            return Optional.of(m.expiresAt());
        }
        Path content = engine.contentPath(m);
        Path attr = content.resolveSibling(content.getFileName() + AttrCodec.SUFFIX);
        try {
            return Optional.of(Files.getLastModifiedTime(attr).toInstant());
        } catch (NoSuchFileException e) {
            return Optional.empty(); // purged meanwhile, or a problem for reconciliation to report
        }
    }

    private boolean stillInactive(FileMetadata m) {
        return engine.find(m.fileId()).map(f -> f.status() != FileStatus.ACTIVE).orElse(false);
    }
}
