package io.artsore.se.storage.mode;

import io.artsore.se.domain.ErrorCode;
import io.artsore.se.domain.Mode;
import io.artsore.se.domain.ModeTransitions;
import io.artsore.se.domain.Operation;
import io.artsore.se.domain.SeException;
import io.artsore.se.domain.TransitionVerdict;
import io.artsore.se.logging.Events;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The current mode and the rule that no write straddles a transition (docs/contract.md §4). A write holds the shared
 * side only for its commit step and re-checks the mode there; a transition takes the exclusive side, persists
 * mode.json, and only then switches. So a write either commits before the transition is acknowledged or is
 * refused, and a failed persist leaves the mode unchanged.
 *
 * <p>Lock order: this guard's lock is always taken before the write fence of a replicated element (a
 * {@link Gate}), by commits and transitions alike. A transition that took the fence first and then waited for the
 * exclusive side here could deadlock with a commit holding the shared side while waiting for the fence behind a
 * queued step-down (security review M1).
 */
public final class ModeGuard {
    private static final Logger LOG = Logger.getLogger(ModeGuard.class.getName());

    /** A commit step that may do I/O. */
    @FunctionalInterface
    public interface Commit<T> {
        T run() throws IOException;
    }

    /**
     * Wraps a transition's check-and-persist step, inside the exclusive side (a replicated element's write fence:
     * only the leader may change the mode).
     */
    @FunctionalInterface
    public interface Gate {
        ModeChange pass(Commit<ModeChange> step) throws IOException;
    }

    /** For an element whose every process may change the mode. */
    public static final Gate OPEN = Commit::run;

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final ModeStore store;
    private final Clock clock;
    private volatile Mode current;

    public ModeGuard(Mode initial, ModeStore store, Clock clock) {
        this.current = initial;
        this.store = store;
        this.clock = clock;
    }

    public Mode current() {
        return current;
    }

    /** Early, lock-free check (e.g. before reading an upload body); the commit re-checks. */
    public void require(Operation op) {
        Mode m = current;
        if (!m.allows(op)) {
            throw notAllowed(op, m);
        }
    }

    /** Runs {@code commit} with the mode pinned, after checking that the mode allows {@code op}. */
    public <T> T commit(Operation op, Commit<T> commit) throws IOException {
        lock.readLock().lock();
        try {
            require(op);
            return commit.run();
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Moves to {@code target} if the state machine allows it, persisting first.
     *
     * @throws SeException INVALID_TRANSITION, CONFIRMATION_REQUIRED, or INTERNAL_ERROR when persisting fails
     */
    public ModeChange transition(Mode target, boolean confirm, String subject) {
        try {
            return transition(target, confirm, subject, OPEN);
        } catch (IOException e) {
            throw new SeException(ErrorCode.INTERNAL_ERROR, "the mode change could not be made", e);
        }
    }

    /**
     * As {@link #transition(Mode, boolean, String)}, with the check and the persist run through {@code gate} while
     * the exclusive side is held (the documented lock order: this guard, then the gate).
     *
     * @throws IOException when the gate fails for I/O reasons of its own
     */
    public ModeChange transition(Mode target, boolean confirm, String subject, Gate gate) throws IOException {
        lock.writeLock().lock();
        try {
            return gate.pass(() -> switchTo(target, confirm, subject));
        } finally {
            lock.writeLock().unlock();
        }
    }

    private ModeChange switchTo(Mode target, boolean confirm, String subject) {
        Mode from = current;
        TransitionVerdict verdict = ModeTransitions.check(from, target, confirm);
        switch (verdict) {
            case INVALID_TRANSITION -> throw new SeException(ErrorCode.INVALID_TRANSITION,
                    "transition from " + from.wireName() + " to " + target.wireName() + " is not allowed");
            case CONFIRMATION_REQUIRED -> throw new SeException(ErrorCode.CONFIRMATION_REQUIRED,
                    "transition from " + from.wireName() + " to " + target.wireName()
                            + " reopens the storage for writes and needs \"confirm\": true");
            case ALLOWED -> { }
        }
        Instant at = clock.instant();
        try {
            store.save(new PersistedMode(target, at, subject));
        } catch (IOException e) {
            Events.log(LOG, Level.SEVERE, "mode_not_persisted", e, "from", from.wireName(), "to", target.wireName(),
                    "subject", subject, "outcome", "mode_unchanged");
            throw new SeException(ErrorCode.INTERNAL_ERROR, "the mode change could not be persisted", e);
        }
        current = target;
        boolean rollback = ModeTransitions.isRollback(from, target);
        Events.log(LOG, rollback ? Level.WARNING : Level.INFO, "mode_changed", "from", from.wireName(),
                "to", target.wireName(), "subject", subject, "rollback", rollback, "outcome", "success");
        return new ModeChange(from, target, at);
    }

    /**
     * Adopts the mode persisted in mode.json by another process sharing the data dir (a replicated element's
     * leader), under the exclusive side so no local commit straddles the switch. Returns the mode in force.
     */
    public Mode reload() throws IOException {
        Mode persisted = store.load().map(PersistedMode::mode).orElse(current);
        if (persisted != current) {
            lock.writeLock().lock();
            try {
                current = persisted;
            } finally {
                lock.writeLock().unlock();
            }
        }
        return persisted;
    }

    private static SeException notAllowed(Operation op, Mode m) {
        return new SeException(ErrorCode.MODE_NOT_ALLOWED,
                "operation " + op.wireName() + " is not allowed in mode " + m.wireName());
    }
}
