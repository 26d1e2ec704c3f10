package io.artsore.se.memory;

import io.artsore.se.domain.ErrorCode;
import io.artsore.se.domain.SeException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Bounds the memory that in-flight requests hold in transfer buffers (download chunks, upload pipeline
 * buffers), so that many slow clients at once make requests wait instead of exhausting the heap: the image
 * runs with {@code -XX:+ExitOnOutOfMemoryError}, so an OOM would kill every request (security review M6).
 * Buffers are allocated per request and left to the GC; only their total is accounted, in KiB, by a fair
 * semaphore (a large reservation is not starved by small ones). A request waits for its share at most
 * {@code wait}; then it is refused with 503 {@code SERVER_BUSY} before any byte of its answer is sent.
 */
public final class BufferBudget {
    /** A quarter of the heap: the index, caches, Helidon's own connection buffers and GC headroom get the rest. */
    static final int HEAP_SHARE_DIVISOR = 4;
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(10);
    private static final int KIB = 1024;
    private static final BufferBudget PROCESS = new BufferBudget(
            Runtime.getRuntime().maxMemory() / HEAP_SHARE_DIVISOR, DEFAULT_WAIT);

    private final Semaphore kib;
    private final int totalKib;
    private final long waitNanos;

    public BufferBudget(long bytes, Duration wait) {
        if (bytes < KIB || wait.isNegative()) {
            throw new IllegalArgumentException("a budget needs at least 1 KiB and a wait >= 0");
        }
        this.totalKib = (int) Math.min(Integer.MAX_VALUE, bytes / KIB);
        this.kib = new Semaphore(totalKib, true);
        this.waitNanos = wait.toNanos();
    }

    /** The budget of this JVM, sized from its maximum heap ({@link Runtime#maxMemory()}). */
    public static BufferBudget process() {
        return PROCESS;
    }

    public long totalBytes() {
        return (long) totalKib * KIB;
    }

    public long availableBytes() {
        return (long) kib.availablePermits() * KIB;
    }

    /**
     * Reserves {@code bytes}, waiting for earlier reservations to end if need be.
     *
     * @throws SeException SERVER_BUSY when the bounded wait runs out
     */
    public Lease reserve(int bytes) throws InterruptedIOException {
        int units = units(bytes);
        try {
            if (!kib.tryAcquire(units, waitNanos, TimeUnit.NANOSECONDS)) {
                throw new SeException(ErrorCode.SERVER_BUSY,
                        "the server is at its memory limit for transfers; retry shortly");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a transfer buffer");
        }
        return new Lease(units);
    }

    /** Reserves {@code bytes} only if they are free now: for a buffer a request can do without. */
    public Optional<Lease> tryReserve(int bytes) {
        int units = units(bytes);
        return kib.tryAcquire(units) ? Optional.of(new Lease(units)) : Optional.empty();
    }

    private int units(int bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must be >= 0");
        }
        // a single reservation larger than the whole budget would wait for ever: it takes the whole budget
        return Math.min(totalKib, Math.max(1, (bytes + KIB - 1) / KIB));
    }

    /** A reservation; closing it (once or more) gives the bytes back. */
    public final class Lease implements AutoCloseable {
        private final int units;
        private final AtomicBoolean open = new AtomicBoolean(true);

        private Lease(int units) {
            this.units = units;
        }

        @Override
        public void close() {
            if (open.compareAndSet(true, false)) {
                kib.release(units);
            }
        }
    }
}
