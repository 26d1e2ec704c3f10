package io.artsore.operator.standin;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts the stand-in's checks; each prints one PASS or FAIL line, the summary ends the run. */
final class StandInChecks {
    private final long start = System.nanoTime();
    // atomic: the shutdown hook may add a failure while a flow is still checking
    private final AtomicInteger passed = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();

    /** A check that holds or not; its exception is a failure with the message as the reason. */
    boolean check(String flow, String what, Callable<Boolean> check) {
        String reason;
        try {
            if (Boolean.TRUE.equals(check.call())) {
                passed.incrementAndGet();
                System.out.println("PASS " + flow + ": " + what + elapsed());
                return true;
            }
            reason = "did not hold";
        } catch (Exception e) {
            reason = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        failed.incrementAndGet();
        System.out.println("FAIL " + flow + ": " + what + " (" + reason + ")" + elapsed());
        return false;
    }

    /** A check that must hold within the time given; polled once a second. */
    boolean within(String flow, String what, Duration limit, Callable<Boolean> condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        return check(flow, what + " (within " + limit.toSeconds() + " s)", () -> {
            Exception last = null;
            while (System.nanoTime() < deadline) {
                try {
                    if (Boolean.TRUE.equals(condition.call())) {
                        return true;
                    }
                } catch (Exception e) {
                    last = e;
                }
                Thread.sleep(1000);
            }
            if (last != null) {
                throw last;
            }
            return false;
        });
    }

    private String elapsed() {
        return " [" + (System.nanoTime() - start) / 1_000_000_000L + " s]";
    }

    int failed() {
        return failed.get();
    }

    String summary() {
        return passed.get() + " passed, " + failed.get() + " failed";
    }
}
