package io.artsore.se.domain;

/**
 * The mode state machine of docs/contract.md §4. Two lifecycles: {@code edit} is isolated; permanent storage moves
 * {@code rw → ro → ar} with one rollback {@code ro → rw} that needs explicit confirmation.
 */
public final class ModeTransitions {
    private ModeTransitions() {
    }

    public static TransitionVerdict check(Mode from, Mode to, boolean confirm) {
        if (from == Mode.RW && to == Mode.RO) {
            return TransitionVerdict.ALLOWED;
        }
        if (from == Mode.RO && to == Mode.AR) {
            return TransitionVerdict.ALLOWED;
        }
        if (from == Mode.RO && to == Mode.RW) {
            return confirm ? TransitionVerdict.ALLOWED : TransitionVerdict.CONFIRMATION_REQUIRED;
        }
        return TransitionVerdict.INVALID_TRANSITION;
    }

    /** A rollback is the one transition that reopens an element for writes; it is audited. */
    public static boolean isRollback(Mode from, Mode to) {
        return from == Mode.RO && to == Mode.RW;
    }
}
