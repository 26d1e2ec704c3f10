package io.artsore.se.service.scrub;

import java.util.concurrent.TimeUnit;

/**
 * Paces reads to a byte rate. Each {@link #acquire} books its bytes on a virtual timeline that advances by
 * {@code bytes / rate} and waits until the booking starts; idle time earns no credit, so there is no burst
 * after a pause and the rate holds over any window longer than one chunk.
 */
public final class ByteRateLimiter {
    private final double nanosPerByte;
    private long nextFreeNanos = Long.MIN_VALUE;

    /** @param bytesPerSecond > 0 */
    public ByteRateLimiter(long bytesPerSecond) {
        if (bytesPerSecond <= 0) {
            throw new IllegalArgumentException("rate must be positive");
        }
        this.nanosPerByte = 1e9 / bytesPerSecond;
    }

    /** Blocks until {@code bytes} may be read at the configured rate. */
    public void acquire(long bytes) throws InterruptedException {
        long wait;
        synchronized (this) {
            long now = System.nanoTime();
            long start = nextFreeNanos == Long.MIN_VALUE || nextFreeNanos - now < 0 ? now : nextFreeNanos;
            nextFreeNanos = start + (long) (bytes * nanosPerByte);
            wait = start - now;
        }
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }
}
