package io.artsore.se.service;

import io.artsore.se.logging.Events;
import io.artsore.se.logging.ScheduledTasks;
import io.artsore.se.storage.index.BuildProgress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * An {@code index_progress} event every few seconds while an index is built or loaded: phase, sidecars read,
 * entries taken from the checkpoint, read rate and, when the share done can be estimated, percent and seconds
 * left. A platform team watching a slow start sees it move instead of silence.
 */
final class IndexProgressLog implements AutoCloseable {
    static final Duration PERIOD = Duration.ofSeconds(5);
    private static final Logger LOG = Logger.getLogger(IndexProgressLog.class.getName());

    private final ScheduledExecutorService timer;

    private IndexProgressLog(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    /** Logs {@code progress} every {@link #PERIOD} until closed. */
    static IndexProgressLog start(String purpose, BuildProgress progress, Clock clock) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("se-index-progress").factory());
        Instant started = clock.instant();
        timer.scheduleAtFixedRate(ScheduledTasks.surviving(LOG, "index_progress", () -> Events.log(LOG, Level.INFO,
                        "index_progress", fields(purpose, progress.snapshot(), Duration.between(started, clock.instant())))),
                PERIOD.toMillis(), PERIOD.toMillis(), TimeUnit.MILLISECONDS);
        return new IndexProgressLog(timer);
    }

    /** The event's fields for a reading taken {@code elapsed} after the start. */
    static Object[] fields(String purpose, BuildProgress.Snapshot s, Duration elapsed) {
        List<Object> f = new ArrayList<>(List.of("purpose", purpose, "phase", s.phase().description(),
                "files_read", s.filesRead(), "entries_from_checkpoint", s.entriesFromCheckpoint()));
        double seconds = elapsed.toMillis() / 1000.0;
        if (seconds > 0) {
            f.add("files_per_second");
            f.add(Math.round(s.filesRead() / seconds));
        }
        if (s.percent() >= 0) {
            f.add("percent");
            f.add(s.percent());
            if (s.percent() > 0) {
                f.add("eta_seconds");
                f.add(Math.round(seconds * (100 - s.percent()) / s.percent()));
            }
        }
        return f.toArray();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
