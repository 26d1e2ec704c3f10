package io.artsore.se.storage;

/**
 * Test hook for crash-safety proofs: {@link #hit(String)} halts the JVM (exit status 77, no shutdown hooks,
 * nothing flushed) when the system property {@code se.crashpoint} names that point. A no-op otherwise; the
 * property is read once, so production cost is one string comparison against null.
 */
public final class CrashPoints {
    public static final int EXIT_STATUS = 77;
    private static final String ARMED = System.getProperty("se.crashpoint");

    private CrashPoints() {
    }

    public static void hit(String name) {
        if (ARMED != null && ARMED.equals(name)) {
            Runtime.getRuntime().halt(EXIT_STATUS);
        }
    }
}
