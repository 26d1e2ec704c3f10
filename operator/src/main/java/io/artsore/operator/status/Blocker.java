package io.artsore.operator.status;

/**
 * Why the operator could not converge the element in this pass (reason {@code ApplyFailed} or
 * {@code DataVolumeMissing}); it overrides every other Ready reason.
 */
public record Blocker(String reason, String message) {
    public static final String APPLY_FAILED = "ApplyFailed";
    public static final String DATA_VOLUME_MISSING = "DataVolumeMissing";
    public static final String RECONCILE_FAILED = "ReconcileFailed";
}
