package io.artsore.operator.mode;

import java.time.Duration;

/**
 * Result of one mode synchronisation: what the element reported (null when unreachable), the ModeSynced
 * condition to publish, an Event to record (null for none), when to look again, and whether the element accepted
 * a ro -> rw rollback in this pass (which spends spec.confirmRollback, see {@link RollbackConfirmation}).
 */
public record ModeSyncOutcome(ElementInfo info, String conditionStatus, String reason, String message,
                              Event event, Duration recheckAfter, boolean rolledBack) {

    public ModeSyncOutcome(ElementInfo info, String conditionStatus, String reason, String message, Event event,
                           Duration recheckAfter) {
        this(info, conditionStatus, reason, message, event, recheckAfter, false);
    }

    public record Event(String type, String reason, String message) {
    }
}
