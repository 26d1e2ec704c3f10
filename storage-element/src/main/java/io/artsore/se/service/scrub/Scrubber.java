package io.artsore.se.service.scrub;

import io.artsore.se.domain.FileMetadata;
import io.artsore.se.logging.Events;
import io.artsore.se.metrics.SeMetrics;
import io.artsore.se.service.StorageEngine;
import io.artsore.se.storage.filestore.ContentFiles;
import io.helidon.metrics.api.Counter;
import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Background bit-rot detection: re-hashes stored files continuously, least recently verified first, at
 * {@code bytesPerSec} (all files share one pacing budget). Findings go to the {@link ScrubLedger}; the next
 * reconciliation reports mismatches as {@code checksum_mismatch}. Runs only while started (leader or
 * standalone); one platform thread, stopped by interruption.
 */
public final class Scrubber {
    private static final Logger LOG = Logger.getLogger(Scrubber.class.getName());

    private final StorageEngine engine;
    private final ScrubLedger ledger;
    private final ByteRateLimiter limiter;
    private final Clock clock;
    private final Duration idlePause;
    private final Counter bytesHashed;
    private final Counter filesVerified;
    private final Counter mismatchesFound;
    private Thread worker;

    /**
     * @param bytesPerSec > 0 (a rate of 0 disables scrubbing: do not create a scrubber)
     * @param idlePause   wait after a pass that found nothing to hash (empty store)
     */
    public Scrubber(StorageEngine engine, ScrubLedger ledger, long bytesPerSec, Clock clock, Duration idlePause,
                    SeMetrics metrics) {
        this.engine = engine;
        this.ledger = ledger;
        this.limiter = new ByteRateLimiter(bytesPerSec);
        this.clock = clock;
        this.idlePause = idlePause;
        this.bytesHashed = metrics.counter("se_scrub_bytes_total", "Bytes re-hashed by the background scrubber");
        this.filesVerified = metrics.counter("se_scrub_files_total", "Files re-hashed by the background scrubber");
        this.mismatchesFound = metrics.counter("se_scrub_checksum_mismatches_total",
                "Newly found files whose content does not match their checksum");
        metrics.gauge("se_scrub_known_checksum_mismatches", "Files currently known not to match their checksum",
                Map.of(), ledger::mismatchCount);
    }

    public synchronized void start() {
        if (worker == null) {
            worker = Thread.ofPlatform().daemon().name("se-scrubber").start(this::loop);
        }
    }

    /** Stops and waits for the worker (it stops at its next chunk). */
    public synchronized void stop() {
        if (worker == null) {
            return;
        }
        worker.interrupt();
        try {
            worker.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        worker = null;
    }

    private void loop() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                if (pass() == 0) {
                    Thread.sleep(idlePause);
                }
            }
        } catch (InterruptedException e) {
            // stopping
        }
    }

    /** Hashes every indexed file once, least recently verified first; returns how many were hashed. */
    int pass() throws InterruptedException {
        List<FileMetadata> files = new ArrayList<>();
        engine.forEachFile(files::add);
        Set<java.util.UUID> ids = new HashSet<>();
        files.forEach(f -> ids.add(f.fileId()));
        ledger.retainOnly(ids);
        files.sort(Comparator.comparing(f -> ledger.lastVerified(f.fileId()).orElse(Instant.MIN)));
        int hashed = 0;
        for (FileMetadata m : files) {
            if (verify(m)) {
                hashed++;
            }
        }
        return hashed;
    }

    private boolean verify(FileMetadata m) throws InterruptedException {
        String actual;
        try {
            actual = ContentHash.sha256(engine.dataDir(), engine.contentPath(m), limiter,
                    n -> bytesHashed.increment(n));
        } catch (ClosedByInterruptException e) {
            throw new InterruptedException("scrubber stopped");
        } catch (NoSuchFileException e) {
            return false; // purged meanwhile, or missing: reconciliation reports missing data
        } catch (ContentFiles.NotRegularContentException e) {
            Events.log(LOG, Level.WARNING, "scrub_skipped", "file_id", m.fileId(), "reason",
                    "the data file is a " + e.kind() + "; reconciliation reports it");
            return false;
        } catch (IOException e) {
            Events.log(LOG, Level.WARNING, "scrub_read_failed", "file_id", m.fileId(), "reason", e.getMessage());
            return false;
        }
        filesVerified.increment();
        // only a file still described by the same metadata counts (it may have been purged while hashing)
        boolean unchanged = engine.find(m.fileId())
                .filter(now -> now.storagePath().equals(m.storagePath()) && now.checksum().equals(m.checksum()))
                .isPresent();
        if (unchanged && ledger.record(m.fileId(), m.storagePath(), m.checksum(), actual, clock.instant())) {
            mismatchesFound.increment();
            Events.log(LOG, Level.SEVERE, "checksum_mismatch", "file_id", m.fileId(), "path", m.storagePath(),
                    "actual", actual, "expected", m.checksum());
        }
        return true;
    }
}
