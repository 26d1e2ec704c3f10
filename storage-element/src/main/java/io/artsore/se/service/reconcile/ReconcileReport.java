package io.artsore.se.service.reconcile;

import java.time.Instant;
import java.util.List;

/** Result of one reconciliation run (the contract's ReconcileResponse). {@code issues} is never null. */
public record ReconcileReport(Instant startedAt, Instant completedAt, long filesChecked, List<ReconcileIssue> issues,
                              ReconcileSummary summary) {
    public ReconcileReport {
        issues = List.copyOf(issues);
    }
}
