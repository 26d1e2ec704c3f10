package io.artsore.e2e.loadgen;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Thread-safe log-linear latency histogram in microseconds (HdrHistogram-like, no dependency): values
 * below 64 µs have exact buckets, larger ones 32 linear sub-buckets per power of two, so a reported
 * percentile is at most ~3 % above the true value. Percentiles report the bucket's upper bound, capped
 * at the exact maximum.
 */
public final class LatencyHistogram {

    private static final int LINEAR = 64;
    private static final int SUB_BITS = 5;
    private static final int SUBS = 1 << SUB_BITS;
    private static final int FIRST_EXP = 6; // 2^6 == LINEAR
    private static final int BUCKETS = LINEAR + (63 - FIRST_EXP) * SUBS;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong max = new AtomicLong();

    public void recordMicros(long micros) {
        long v = Math.max(0, micros);
        counts.incrementAndGet(bucketOf(v));
        total.incrementAndGet();
        max.accumulateAndGet(v, Math::max);
    }

    public long count() {
        return total.get();
    }

    public long maxMicros() {
        return max.get();
    }

    /** The value at quantile {@code q} (0 < q <= 1), in microseconds; 0 when empty. */
    public long percentileMicros(double q) {
        long n = total.get();
        if (n == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(q * n));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts.get(i);
            if (seen >= rank) {
                return Math.min(upperBoundOf(i), max.get());
            }
        }
        return max.get();
    }

    static int bucketOf(long v) {
        if (v < LINEAR) {
            return (int) v;
        }
        int exp = 63 - Long.numberOfLeadingZeros(v);
        int sub = (int) ((v >>> (exp - SUB_BITS)) & (SUBS - 1));
        return LINEAR + (exp - FIRST_EXP) * SUBS + sub;
    }

    /** Largest value that falls into bucket {@code i}. */
    static long upperBoundOf(int i) {
        if (i < LINEAR) {
            return i;
        }
        int exp = FIRST_EXP + (i - LINEAR) / SUBS;
        long sub = (i - LINEAR) % SUBS;
        long width = 1L << (exp - SUB_BITS);
        return (1L << exp) + (sub + 1) * width - 1;
    }
}
