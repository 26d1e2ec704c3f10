package io.artsore.operator.reconcile;

import io.artsore.operator.crd.StorageElementStatus;

/**
 * Thrown by the reconciler after a pass in which some object could not be applied: JOSDK then calls
 * updateErrorStatus (which publishes {@link #status()}) and retries with the back-off of {@link RetryPolicy}.
 * Everything that could be applied in that pass was applied.
 */
public class ReconcileFailedException extends RuntimeException {
    private final transient StorageElementStatus status;

    public ReconcileFailedException(String message, StorageElementStatus status) {
        super(message);
        this.status = status;
    }

    public StorageElementStatus status() {
        return status;
    }
}
