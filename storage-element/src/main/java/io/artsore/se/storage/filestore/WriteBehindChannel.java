package io.artsore.se.storage.filestore;

import io.artsore.se.memory.BufferBudget;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Writes filled buffers to a {@link FileChannel} on a background thread, in order, while the caller fills
 * (and hashes) the next one. Memory is bounded: at most {@code buffers} buffers exist, and the caller waits
 * for one to come back when all are queued. Every {@code writeBackEvery} written bytes a second background
 * thread asks the OS to flush what is written so far ({@code force(false)}), so the caller's final fsync only
 * flushes the tail and the flushing overlaps with streaming.
 *
 * <p>A failure of the background work (e.g. ENOSPC) is rethrown to the caller as the same exception at its next
 * call. {@link #close()} without {@link #finish()} abandons the upload: queued buffers are not written and
 * it returns only when no background thread touches the channel any more (the caller may then close and
 * delete the file). The background writer is never interrupted: interrupting a thread in FileChannel I/O
 * would close the caller's channel.
 *
 * <p>Buffers count against a {@link BufferBudget}: the first is waited for (bounded), the others are taken only
 * when the budget has room at once, so under memory pressure an upload runs with fewer buffers instead of
 * waiting. {@link #close()} gives them back.
 *
 * <p>One caller thread only. A body that fits in the first buffer is written on the caller's thread and
 * starts no thread at all (small uploads pay nothing for the pipeline).
 */
final class WriteBehindChannel implements AutoCloseable {
    private record Chunk(byte[] buf, int len) {
    }

    private static final Chunk END = new Chunk(new byte[0], 0);

    private final FileChannel channel;
    private final int bufferSize;
    private final int maxBuffers;
    private final long writeBackEvery;
    private final ThreadFactory threads;
    private final BufferBudget budget;
    private final List<BufferBudget.Lease> leases = new ArrayList<>();
    private final BlockingQueue<byte[]> free;
    /** One slot more than there are buffers, so {@link #END} always fits. */
    private final BlockingQueue<Chunk> toWrite;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean abandoned;
    private int allocated;
    private Thread writer;
    private boolean ended;

    // owned by the writer thread
    private long writtenSinceWriteBack;
    private Thread writeBack;

    WriteBehindChannel(FileChannel channel, int buffers, int bufferSize, long writeBackEvery, ThreadFactory threads,
                       BufferBudget budget) {
        if (buffers < 2 || bufferSize < 1 || writeBackEvery < 1) {
            throw new IllegalArgumentException("needs two buffers or more and positive sizes");
        }
        this.channel = channel;
        this.bufferSize = bufferSize;
        this.maxBuffers = buffers;
        this.writeBackEvery = writeBackEvery;
        this.threads = threads;
        this.budget = budget;
        this.free = new ArrayBlockingQueue<>(buffers);
        this.toWrite = new ArrayBlockingQueue<>(buffers + 1);
    }

    /**
     * An empty buffer of the configured size; waits while all buffers are queued for writing.
     *
     * @throws io.artsore.se.domain.SeException SERVER_BUSY when the budget has no room for a first buffer in time
     */
    byte[] nextBuffer() throws IOException {
        rethrowFailure();
        byte[] buf = free.poll();
        if (buf == null && allocated < maxBuffers) {
            var lease = allocated == 0 ? Optional.of(budget.reserve(bufferSize)) : budget.tryReserve(bufferSize);
            if (lease.isPresent()) {
                leases.add(lease.get());
                allocated++;
                return new byte[bufferSize];
            }
        }
        if (buf == null) {
            try {
                buf = free.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for the disk");
            }
        }
        rethrowFailure();
        return buf;
    }

    /**
     * Queues {@code len} bytes of {@code buf} (from {@link #nextBuffer}) for writing; the caller must not touch
     * the buffer afterwards. {@code last} says no more data follows.
     */
    void submit(byte[] buf, int len, boolean last) throws IOException {
        rethrowFailure();
        if (writer == null && last) {
            writeFully(buf, len); // the whole body fits in one buffer: no thread needed
            free.add(buf);
            return;
        }
        if (writer == null) {
            writer = threads.newThread(this::writeLoop);
            writer.start();
        }
        toWrite.add(new Chunk(buf, len));
    }

    /** Waits until everything submitted is written and any early write-back has finished; rethrows a failure. */
    void finish() throws IOException {
        stopWriter();
        rethrowFailure();
    }

    /** Abandons what is still queued and waits until no background thread uses the channel. */
    @Override
    public void close() {
        abandoned = true;
        stopWriter();
        leases.forEach(BufferBudget.Lease::close);
        leases.clear();
    }

    private void stopWriter() {
        if (!ended && writer != null) {
            toWrite.add(END);
        }
        ended = true;
        joinUninterruptibly(writer);
    }

    private void writeLoop() {
        try {
            for (Chunk c = takeUninterruptibly(); c != END; c = takeUninterruptibly()) {
                if (!abandoned && failure.get() == null) {
                    writeChunk(c);
                }
                free.add(c.buf());
            }
        } finally {
            joinUninterruptibly(writeBack);
        }
    }

    private void writeChunk(Chunk c) {
        try {
            writeFully(c.buf(), c.len());
        } catch (IOException | RuntimeException | Error e) {
            failure.compareAndSet(null, e);
            return;
        }
        writtenSinceWriteBack += c.len();
        if (writtenSinceWriteBack >= writeBackEvery && (writeBack == null || !writeBack.isAlive())) {
            writtenSinceWriteBack = 0;
            writeBack = threads.newThread(this::flushWrittenSoFar);
            writeBack.start();
        }
    }

    private void flushWrittenSoFar() {
        try {
            channel.force(false);
        } catch (IOException | RuntimeException | Error e) {
            // a failed flush may have dropped dirty pages (a later fsync can then succeed): the upload must fail
            failure.compareAndSet(null, e);
        }
    }

    private void writeFully(byte[] buf, int len) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(buf, 0, len);
        while (bb.hasRemaining()) {
            channel.write(bb);
        }
    }

    private void rethrowFailure() throws IOException {
        Throwable t = failure.get();
        if (t instanceof IOException e) {
            throw e;
        }
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
    }

    private Chunk takeUninterruptibly() {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return toWrite.take();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The wait is bounded by one buffer write (or one flush), so an interrupt is kept for later, not obeyed. */
    private static void joinUninterruptibly(Thread t) {
        if (t == null) {
            return;
        }
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
