package io.artsore.se.storage;

/**
 * Test hook for crash-safety proofs: {@link #hit(String)} halts the JVM (exit status 77, no shutdown hooks,
 * nothing flushed) when the system property {@code se.crashpoint} names that point. A no-op otherwise; the
 * property is read once, so production cost is one string comparison against null.
 *
 * <p>{@link #skipsFsync(String)} is the power-cut suite's mutation switch (issue 18): with the system property
 * {@code se.crashpoint.skipFsync} naming one fsync (the names are listed in docs/reliability.md), that one
 * fsync is skipped, to prove the suite notices. Unset in production: every fsync runs.
 */
public final class CrashPoints {
    public static final int EXIT_STATUS = 77;
    private static final String ARMED = System.getProperty("se.crashpoint");
    private static final String SKIPPED_FSYNC = System.getProperty("se.crashpoint.skipFsync");

    private CrashPoints() {
    }

    public static void hit(String name) {
        if (ARMED != null && ARMED.equals(name)) {
            Runtime.getRuntime().halt(EXIT_STATUS);
        }
    }

    /** True only in the mutation test that skips the fsync called {@code name}. */
    public static boolean skipsFsync(String name) {
        return SKIPPED_FSYNC != null && SKIPPED_FSYNC.equals(name);
    }
}
