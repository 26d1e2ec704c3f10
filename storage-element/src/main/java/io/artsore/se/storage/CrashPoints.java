package io.artsore.se.storage;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Test hook for crash-safety proofs: {@link #hit(String)} halts the JVM (exit status 77, no shutdown hooks,
 * nothing flushed) when the system property {@code se.crashpoint} names that point — at its first hit, or
 * after skipping the number of hits given by {@code se.crashpoint.skip} (so a proof can land on a later
 * round of a point that is passed many times). A no-op otherwise; the properties are read once, so production
 * cost is one string comparison against null.
 */
public final class CrashPoints {
    public static final int EXIT_STATUS = 77;
    private static final String ARMED = System.getProperty("se.crashpoint");
    private static final AtomicLong HITS_TO_SKIP = new AtomicLong(Long.getLong("se.crashpoint.skip", 0));

    private CrashPoints() {
    }

    public static void hit(String name) {
        if (ARMED != null && ARMED.equals(name) && HITS_TO_SKIP.getAndDecrement() <= 0) {
            Runtime.getRuntime().halt(EXIT_STATUS);
        }
    }
}
