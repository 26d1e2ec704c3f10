package io.artsore.se.service.background;

import io.artsore.se.logging.Events;
import io.artsore.se.service.LeaderOnlyWork;
import io.artsore.se.service.gc.GarbageCollector;
import io.artsore.se.service.reconcile.DataDirReconciler;
import io.artsore.se.service.scrub.Scrubber;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * GC, periodic reconciliation and scrubbing, run only while this element leads (or is standalone).
 * {@link #startLeading()} schedules GC shortly after it is called and then every GC interval, reconciliation
 * every reconcile interval (the index was just built, so not at once), and starts the scrubber;
 * {@link #stopLeading()} stops all of it and waits for a running task to reach a safe point (GC stops between
 * files, every file change being atomic). Both are idempotent; leadership can come and go repeatedly.
 */
public final class LeaderBackgroundWork implements LeaderOnlyWork {
    private static final Logger LOG = Logger.getLogger(LeaderBackgroundWork.class.getName());
    private static final Duration STOP_WAIT = Duration.ofSeconds(30);

    /** When things run; {@code gcFirstDelay} is the "shortly after start" run. */
    public record Schedule(Duration gcFirstDelay, Duration gcInterval, Duration reconcileInterval,
                           Duration checkpointInterval) {
    }

    /** Saves the index checkpoint; {@code onlyIfChanged} skips it when the index did not change since the last. */
    @FunctionalInterface
    public interface Checkpointer {
        void save(boolean onlyIfChanged) throws Exception;
    }

    private final GarbageCollector gc;
    private final DataDirReconciler reconciler;
    private final Scrubber scrubber; // null when scrubbing is disabled
    private final Checkpointer checkpointer;
    private final Schedule schedule;
    private ScheduledExecutorService executor;

    public LeaderBackgroundWork(GarbageCollector gc, DataDirReconciler reconciler, Scrubber scrubber,
                                Checkpointer checkpointer, Schedule schedule) {
        this.gc = gc;
        this.reconciler = reconciler;
        this.scrubber = scrubber;
        this.checkpointer = checkpointer;
        this.schedule = schedule;
    }

    @Override
    public synchronized void startLeading() {
        if (executor != null) {
            return;
        }
        executor = Executors.newScheduledThreadPool(2, Thread.ofPlatform().daemon().name("se-background-", 0).factory());
        executor.scheduleWithFixedDelay(guarded("gc", gc::run), schedule.gcFirstDelay().toMillis(),
                schedule.gcInterval().toMillis(), TimeUnit.MILLISECONDS);
        long reconcileMillis = schedule.reconcileInterval().toMillis();
        executor.scheduleWithFixedDelay(guarded("reconcile", reconciler::reconcileUnlessRunning), reconcileMillis,
                reconcileMillis, TimeUnit.MILLISECONDS);
        long checkpointMillis = schedule.checkpointInterval().toMillis();
        executor.scheduleWithFixedDelay(guarded("index_checkpoint", () -> {
            checkpointer.save(true);
            return null;
        }), checkpointMillis, checkpointMillis, TimeUnit.MILLISECONDS);
        if (scrubber != null) {
            scrubber.start();
        }
        Events.log(LOG, Level.INFO, "background_work_started", "tasks",
                scrubber != null ? "gc,reconcile,index_checkpoint,scrub" : "gc,reconcile,index_checkpoint");
    }

    @Override
    public synchronized void stopLeading() {
        if (executor == null) {
            return;
        }
        if (scrubber != null) {
            scrubber.stop();
        }
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                Events.log(LOG, Level.WARNING, "background_work_still_running", "waited", STOP_WAIT.toString());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executor = null;
        Events.log(LOG, Level.INFO, "background_work_stopped");
    }

    /**
     * Stops the work and, when this element was leading (still the only writer: replication hands leadership over
     * after this), saves a last index checkpoint so that the next start reads almost nothing. Not on a step-down:
     * by then another leader may be writing.
     */
    @Override
    public synchronized void close() {
        boolean wasLeading = leading();
        stopLeading();
        if (wasLeading) {
            guarded("index_checkpoint", () -> {
                checkpointer.save(false);
                return null;
            }).run();
        }
    }

    public synchronized boolean leading() {
        return executor != null;
    }

    @FunctionalInterface
    private interface Task {
        Object run() throws Exception;
    }

    /** A failed run is logged and the next one still happens (an escaping exception would cancel the schedule). */
    private static Runnable guarded(String name, Task task) {
        return () -> {
            try {
                task.run();
            } catch (InterruptedIOException e) {
                Events.log(LOG, Level.INFO, "background_run_stopped", "task", name,
                        "reason", "leadership or process ending");
            } catch (Exception | Error e) {
                Events.log(LOG, Level.SEVERE, "background_run_failed", e, "task", name,
                        "outcome", "retry_next_interval");
            }
        };
    }
}
