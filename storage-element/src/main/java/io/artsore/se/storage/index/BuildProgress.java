package io.artsore.se.storage.index;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * How far an index build has come, updated by {@link IndexBuilder} and read while it runs (a progress log, the
 * readiness check). The share done is the sidecars read of those expected when a checkpoint says how many to
 * expect, else the directories finished of those found (close in a sharded layout, unknown in a flat one).
 */
public final class BuildProgress {
    /** What the build is doing. */
    public enum Phase {
        STARTING("starting"),
        CHECKPOINT("loading the index checkpoint"),
        RESCAN("reading the directories changed since the checkpoint"),
        FULL_BUILD("reading every sidecar"),
        DONE("done");

        private final String description;

        Phase(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    /** One reading of the counters; {@code percent} is -1 when no estimate is possible. */
    public record Snapshot(Phase phase, long filesRead, long entriesFromCheckpoint, int percent) {
    }

    private volatile Phase phase = Phase.STARTING;
    private volatile long expectedFiles = -1;
    private final LongAdder filesRead = new LongAdder();
    private final LongAdder entriesFromCheckpoint = new LongAdder();
    private final AtomicInteger dirsFound = new AtomicInteger();
    private final AtomicInteger dirsDone = new AtomicInteger();

    public Snapshot snapshot() {
        Phase p = phase;
        long read = filesRead.sum();
        long expected = expectedFiles;
        int found = dirsFound.get();
        int percent;
        if (p == Phase.DONE) {
            percent = 100;
        } else if (expected > 0) {
            percent = (int) Math.min(99, read * 100 / expected);
        } else if (found > 1) {
            percent = Math.min(99, dirsDone.get() * 100 / found);
        } else {
            percent = -1;
        }
        return new Snapshot(p, read, entriesFromCheckpoint.sum(), percent);
    }

    void phase(Phase next) {
        phase = next;
    }

    void expectFiles(long count) {
        expectedFiles = count;
    }

    void filesRead(int count) {
        filesRead.add(count);
    }

    void entriesFromCheckpoint(int count) {
        entriesFromCheckpoint.add(count);
    }

    void directoryFound() {
        dirsFound.incrementAndGet();
    }

    void directoryDone() {
        dirsDone.incrementAndGet();
    }
}
