package io.artsore.operator.mode;

import io.artsore.operator.crd.StorageElement;
import io.artsore.operator.crd.StorageElementStatus;

/**
 * {@code spec.confirmRollback} confirms one ro -> rw rollback, not every later one: a {@code true} left in Git would
 * otherwise let any future {@code mode: rw} after a {@code ro} through without anyone confirming it. The operator
 * keeps the bookkeeping in status ({@code status.confirmRollbackUsedAtGeneration}, the spec generation whose
 * confirmation a rollback used) rather than resetting the field itself: an operator that writes its own spec fights
 * GitOps tools, which would put the {@code true} back at their next sync. While the mark is set the confirmation is
 * spent; it clears once the operator sees {@code confirmRollback: false}, after which {@code true} confirms anew.
 */
public final class RollbackConfirmation {
    public static final String SPENT = "RollbackConfirmationUsed";

    private RollbackConfirmation() {
    }

    static boolean isRollback(String observed, String step) {
        return "ro".equals(observed) && "rw".equals(step);
    }

    /** The spec confirms a rollback and that confirmation has not been used by an earlier one. */
    static boolean confirms(StorageElement element, StorageElementStatus previous) {
        return Boolean.TRUE.equals(element.getSpec().confirmRollback) && usedAt(previous) == null;
    }

    static boolean spent(StorageElement element, StorageElementStatus previous) {
        return Boolean.TRUE.equals(element.getSpec().confirmRollback) && usedAt(previous) != null;
    }

    /** @param mode null when the element was not asked in this pass */
    public static Long next(StorageElement element, StorageElementStatus previous, ModeSyncOutcome mode) {
        if (!Boolean.TRUE.equals(element.getSpec().confirmRollback)) {
            return null;
        }
        if (mode != null && mode.rolledBack()) {
            return element.getMetadata().getGeneration();
        }
        return usedAt(previous);
    }

    static Long usedAt(StorageElementStatus previous) {
        return previous == null ? null : previous.confirmRollbackUsedAtGeneration;
    }
}
