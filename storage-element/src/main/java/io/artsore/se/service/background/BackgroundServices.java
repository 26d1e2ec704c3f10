package io.artsore.se.service.background;

import io.artsore.se.config.SeConfig;
import io.artsore.se.metrics.SeMetrics;
import io.artsore.se.service.LeaderOnlyWork;
import io.artsore.se.service.StorageEngine;
import io.artsore.se.service.dephealth.HttpDependencyCheck;
import io.artsore.se.service.gc.GarbageCollector;
import io.artsore.se.service.reconcile.DataDirReconciler;
import io.artsore.se.service.reconcile.Reconciler;
import io.artsore.se.service.scrub.ScrubLedger;
import io.artsore.se.service.scrub.Scrubber;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;

/**
 * The element's background services built from its configuration: GC, reconciliation and scrubbing (as
 * {@link LeaderOnlyWork}, started by whoever decides leadership) and the JWKS dependency check (always on,
 * every instance reports its own view). Closing stops the leader work first, then the check.
 */
public final class BackgroundServices implements AutoCloseable {
    /** GC's first run comes this soon after leading starts (or after one GC interval, if shorter). */
    static final Duration GC_FIRST_DELAY = Duration.ofSeconds(10);
    /** The dependency check never waits longer than this, nor longer than its interval. */
    static final Duration DEPENDENCY_TIMEOUT = Duration.ofSeconds(5);
    /** Scrubber pause when the store is empty. */
    static final Duration SCRUB_IDLE_PAUSE = Duration.ofSeconds(10);

    private final DataDirReconciler reconciler;
    private final LeaderBackgroundWork leaderWork;
    private final HttpDependencyCheck jwksCheck;

    private BackgroundServices(DataDirReconciler reconciler, LeaderBackgroundWork leaderWork,
                               HttpDependencyCheck jwksCheck) {
        this.reconciler = reconciler;
        this.leaderWork = leaderWork;
        this.jwksCheck = jwksCheck;
    }

    /**
     * Builds everything and starts the dependency check; leader work is not started here.
     *
     * @param outbound HTTP client with the element's outbound TLS trust (SE_CA_CERT_PATH)
     */
    public static BackgroundServices create(SeConfig config, StorageEngine engine, SeMetrics metrics, Clock clock,
                                            HttpClient outbound) {
        ScrubLedger ledger = new ScrubLedger();
        DataDirReconciler reconciler = new DataDirReconciler(engine, config.dataDir(), config.walDir(), ledger,
                metrics, clock, DataDirReconciler.DEFAULT_TEMP_SAFETY_AGE);
        GarbageCollector gc = new GarbageCollector(engine, clock, config.gcGraceDeleted(), config.gcGraceExpired(),
                metrics);
        Scrubber scrubber = config.scrubEnabled()
                ? new Scrubber(engine, ledger, config.scrubBytesPerSec(), clock, SCRUB_IDLE_PAUSE, metrics)
                : null;
        LeaderBackgroundWork leaderWork = new LeaderBackgroundWork(gc, reconciler, scrubber,
                engine::writeIndexCheckpoint,
                new LeaderBackgroundWork.Schedule(min(GC_FIRST_DELAY, config.gcInterval()), config.gcInterval(),
                        config.reconcileInterval(), config.indexCheckpointInterval()));
        HttpDependencyCheck jwksCheck = new HttpDependencyCheck(
                new HttpDependencyCheck.Target(config.storageId(), "artsore", "jwks", config.jwksUrl(), true),
                outbound, config.dephealthCheckInterval(), min(DEPENDENCY_TIMEOUT, config.dephealthCheckInterval()),
                metrics);
        jwksCheck.start();
        return new BackgroundServices(reconciler, leaderWork, jwksCheck);
    }

    public Reconciler reconciler() {
        return reconciler;
    }

    /** GC, periodic reconciliation and scrubbing: start for a standalone element or on promotion. */
    public LeaderOnlyWork leaderWork() {
        return leaderWork;
    }

    @Override
    public void close() {
        leaderWork.close();
        jwksCheck.close();
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
