package io.artsore.se.service.gc;

import io.artsore.se.metrics.SeMetrics;
import io.artsore.se.service.StorageEngine;
import io.artsore.se.service.TestEngines;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Child process of {@link GcCrashTest}: opens the engine on {@code root} with a clock fixed at {@code nowMillis}
 * and runs one GC (grace 0 for both kinds), so an armed crash point halts it mid-run.
 */
public final class GcCrashChild {
    private GcCrashChild() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        Clock clock = Clock.fixed(Instant.ofEpochMilli(Long.parseLong(args[1])), ZoneOffset.UTC);
        try (StorageEngine e = StorageEngine.open(TestEngines.config(root), clock)) {
            new GarbageCollector(e, clock, Duration.ZERO, Duration.ZERO, new SeMetrics()).run();
        }
        System.out.println("DONE");
    }
}
