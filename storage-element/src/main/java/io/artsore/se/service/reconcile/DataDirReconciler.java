package io.artsore.se.service.reconcile;

import io.artsore.se.domain.ErrorCode;
import io.artsore.se.domain.SeException;
import io.artsore.se.logging.Events;
import io.artsore.se.metrics.SeMetrics;
import io.artsore.se.service.StorageEngine;
import io.artsore.se.service.scrub.ScrubLedger;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reconciliation of the data dir against itself and the index (issue 4): one structural pass (no hashing)
 * that reports issues, rebuilds the index off to the side and swaps it in (requests keep being served from
 * the old one meanwhile), removes temp files of crashed writes older than a safety age, and reports checksum
 * mismatches found by the scrubber (or, with full verification, hashes every file in the call). Nothing else
 * is deleted: issues are reported, counted and logged for a human to decide. One run at a time; a second
 * caller gets {@code RECONCILE_IN_PROGRESS}. See {@link ReconcilePass} for what each issue type means.
 */
public final class DataDirReconciler implements Reconciler {
    /** Temp files younger than this may belong to a write in progress; idle timeouts are far shorter. */
    public static final Duration DEFAULT_TEMP_SAFETY_AGE = Duration.ofHours(1);
    private static final Logger LOG = Logger.getLogger(DataDirReconciler.class.getName());
    private static final int LOGGED_ISSUES = 100;

    private final StorageEngine engine;
    private final Path dataDir;
    private final Path walDir;
    private final ScrubLedger ledger;
    private final SeMetrics metrics;
    private final Clock clock;
    private final Duration tempSafetyAge;
    private final ReentrantLock running = new ReentrantLock();

    public DataDirReconciler(StorageEngine engine, Path dataDir, Path walDir, ScrubLedger ledger, SeMetrics metrics,
                             Clock clock, Duration tempSafetyAge) {
        this.engine = engine;
        this.dataDir = dataDir.toAbsolutePath().normalize();
        this.walDir = walDir;
        this.ledger = ledger;
        this.metrics = metrics;
        this.clock = clock;
        this.tempSafetyAge = tempSafetyAge;
    }

    @Override
    public ReconcileReport reconcile(boolean fullVerify) throws IOException {
        if (!running.tryLock()) {
            throw new SeException(ErrorCode.RECONCILE_IN_PROGRESS, "a reconciliation is already running");
        }
        try {
            return run(fullVerify);
        } finally {
            running.unlock();
        }
    }

    /** The periodic run: skipped (empty) when a run is already going. */
    public Optional<ReconcileReport> reconcileUnlessRunning() throws IOException {
        try {
            return Optional.of(reconcile(false));
        } catch (SeException e) {
            if (e.code() != ErrorCode.RECONCILE_IN_PROGRESS) {
                throw e;
            }
            Events.log(LOG, Level.INFO, "reconcile_skipped", "reason", "another run is in progress");
            return Optional.empty();
        }
    }

    private ReconcileReport run(boolean fullVerify) throws IOException {
        Instant startedAt = clock.instant();
        long startNanos = System.nanoTime();
        ReconcilePass pass = new ReconcilePass(dataDir, walDir, engine.pathsOfWritesInFlight());
        engine.rebuildIndex(pass);
        pass.recheck(engine.pathsOfWritesInFlight());
        pass.checkContent(fullVerify, ledger, clock);
        int tempsRemoved = pass.removeStaleTemps(clock.instant().minus(tempSafetyAge));
        List<ReconcileIssue> issues = pass.issues();
        ReconcileReport report = new ReconcileReport(startedAt, clock.instant(), pass.filesChecked(), issues,
                summary(pass.filesChecked(), issues));
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        metrics.reconcileRun(seconds);
        issues.forEach(i -> metrics.reconcileIssue(i.type()));
        log(report, tempsRemoved, seconds);
        return report;
    }

    /** Each examined attr.json has at most one issue; orphaned files are not attr files. */
    static ReconcileSummary summary(long filesChecked, List<ReconcileIssue> issues) {
        long orphaned = count(issues, IssueType.ORPHANED_FILE);
        return new ReconcileSummary(filesChecked - (issues.size() - orphaned), orphaned,
                count(issues, IssueType.MISSING_FILE), count(issues, IssueType.CHECKSUM_MISMATCH),
                count(issues, IssueType.SIZE_MISMATCH));
    }

    private static long count(List<ReconcileIssue> issues, String type) {
        return issues.stream().filter(i -> i.type().equals(type)).count();
    }

    private static void log(ReconcileReport r, int tempsRemoved, double seconds) {
        Events.log(LOG, r.issues().isEmpty() ? Level.INFO : Level.WARNING, "reconcile_run",
                "files_checked", r.filesChecked(), "ok", r.summary().ok(), "issues", r.issues().size(),
                "stale_temps_removed", tempsRemoved, "seconds", String.format(Locale.ROOT, "%.3f", seconds));
        r.issues().stream().limit(LOGGED_ISSUES).forEach(i -> Events.log(LOG, Level.WARNING, "reconcile_issue",
                "type", i.type(), "path", i.path(), "file_id", i.fileId(), "description", i.description()));
    }
}
