package io.artsore.operator.mode;

import java.time.Duration;

/**
 * Result of one mode synchronisation: what the element reported (null when unreachable), the ModeSynced
 * condition to publish, an Event to record (null for none), and when to look again.
 */
public record ModeSyncOutcome(ElementInfo info, String conditionStatus, String reason, String message,
                              Event event, Duration recheckAfter) {

    public record Event(String type, String reason, String message) {
    }
}
