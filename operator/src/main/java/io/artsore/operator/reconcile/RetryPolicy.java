package io.artsore.operator.reconcile;

import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import java.time.Duration;

/**
 * Retry of failed reconciles: exponential (2 s, 2 s, 4 s, 8 s, ...) capped at {@link #MAX_INTERVAL}, and never
 * giving up, so an element whose object was refused is tried again at least every 5 minutes until it heals.
 */
public final class RetryPolicy {
    public static final Duration INITIAL_INTERVAL = Duration.ofSeconds(2);
    public static final Duration MAX_INTERVAL = Duration.ofMinutes(5);

    private RetryPolicy() {
    }

    public static GenericRetry create() {
        return new GenericRetry()
                .setInitialInterval(INITIAL_INTERVAL.toMillis())
                .setIntervalMultiplier(2.0)
                .setMaxInterval(MAX_INTERVAL.toMillis())
                .withoutMaxAttempts();
    }
}
