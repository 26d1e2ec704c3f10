package io.artsore.se.service;

import java.io.IOException;
import java.util.UUID;

/**
 * Decides whether this process may write at all, around the commit step of every write (upload, update, delete,
 * expire, purge, mode transition). In replicated mode only the leader may write, and leadership can be lost at any moment, so the
 * check has to sit inside the commit step (not at request start) and hold off a step-down until the step is
 * done. A standalone element always may write ({@link #NONE}).
 *
 * <p>Lock order: a step that needs the mode lock ({@link io.artsore.se.storage.mode.ModeGuard}) takes it before
 * entering the fence, never inside it, because a step-down waits for the fence exclusively.
 */
public interface WriteFence {
    /** A commit step that may do I/O. */
    @FunctionalInterface
    interface Step<T> {
        T run() throws IOException;
    }

    /**
     * Runs {@code step} for a write to {@code fileId} if this process may write; afterwards (also when the step
     * failed part-way) the change is announced to other replicas. {@code fileId} is null for a write that is not
     * about one file (a mode transition: replicas follow mode.json itself).
     *
     * @throws io.artsore.se.domain.SeException LEADER_UNAVAILABLE when this process must not write
     */
    <T> T guard(UUID fileId, Step<T> step) throws IOException;

    WriteFence NONE = new WriteFence() {
        @Override
        public <T> T guard(UUID fileId, Step<T> step) throws IOException {
            return step.run();
        }
    };
}
