package io.artsore.se.storage.filestore;

import io.artsore.se.domain.ErrorCode;
import io.artsore.se.domain.SeException;
import io.artsore.se.memory.BufferBudget;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ThreadFactory;
import java.util.function.LongConsumer;

/**
 * Streams a body to a file in one pass, hashing the same bytes with SHA-256. Hashing and writing overlap: the
 * caller's thread reads and hashes chunk k while a background thread writes chunk k-1 and the OS flushes
 * earlier chunks ({@link WriteBehindChannel}), so throughput approaches the slower of hash and disk instead of
 * their harmonic sum. Memory use is bounded by {@link Pipeline#buffers()} buffers per upload, and the buffers of
 * all uploads by the process's {@link BufferBudget}. The size limit is
 * enforced while streaming: the read that crosses it throws, and its chunk is never written.
 */
public final class ContentWriter {
    /** Buffers per upload, their size (= the size of one FileChannel write) and the early write-back period. */
    public record Pipeline(int buffers, int bufferSize, long writeBackEvery) {
        /**
         * 4 × 128 KiB = 512 KiB per upload; flush every 8 MiB. Chosen with PairedPipelineRun (docs/performance.md):
         * the early write-back is what pays; 8 MiB beat 16 and 32 MiB, buffer shapes made no clear difference.
         */
        public static final Pipeline DEFAULT = new Pipeline(4, 128 * 1024, 8L * 1024 * 1024);
    }

    private static final ThreadFactory WRITERS = Thread.ofVirtual().name("content-writer-", 0).factory();

    private ContentWriter() {
    }

    public record Written(long size, String sha256) {
    }

    /**
     * Copies {@code in} to {@code out}; making it durable is the caller's (who may overlap that fsync with other
     * work; the early write-back already flushes most of a large file while it streams). {@code beforeGrowth} is
     * told the new total before each chunk is written (e.g. to grow a capacity reservation) and may throw to stop
     * the upload. On return or throw no background thread touches {@code out} any more.
     *
     * @throws SeException FILE_TOO_LARGE as soon as more than {@code limit} bytes arrive
     */
    public static Written write(InputStream in, FileChannel out, long limit, LongConsumer beforeGrowth)
            throws IOException {
        return write(in, out, limit, beforeGrowth, Pipeline.DEFAULT);
    }

    /** {@link #write(InputStream, FileChannel, long, LongConsumer)} with explicit buffering (benchmarks). */
    public static Written write(InputStream in, FileChannel out, long limit, LongConsumer beforeGrowth,
                                Pipeline pipeline) throws IOException {
        return write(in, out, limit, beforeGrowth, pipeline, WRITERS);
    }

    static Written write(InputStream in, FileChannel out, long limit, LongConsumer beforeGrowth, Pipeline pipeline,
                         ThreadFactory threads) throws IOException {
        return write(in, out, limit, beforeGrowth, pipeline, threads, BufferBudget.process());
    }

    static Written write(InputStream in, FileChannel out, long limit, LongConsumer beforeGrowth, Pipeline pipeline,
                         ThreadFactory threads, BufferBudget budget) throws IOException {
        MessageDigest sha = sha256();
        long total = 0;
        try (WriteBehindChannel sink = new WriteBehindChannel(out, pipeline.buffers(), pipeline.bufferSize(),
                pipeline.writeBackEvery(), threads, budget)) {
            while (true) {
                byte[] buf = sink.nextBuffer();
                int n = fill(in, buf, limit - total, limit);
                if (n == 0) {
                    break;
                }
                total += n;
                beforeGrowth.accept(total);
                sha.update(buf, 0, n);
                boolean last = n < buf.length; // fill stops short only at the end of the stream
                sink.submit(buf, n, last);
                if (last) {
                    break;
                }
            }
            sink.finish();
        }
        return new Written(total, HexFormat.of().formatHex(sha.digest()));
    }

    /**
     * Reads until {@code buf} is full or the stream ends: large writes whatever sizes the stream delivers.
     * Throws as soon as more than {@code room} bytes arrived.
     */
    private static int fill(InputStream in, byte[] buf, long room, long limit) throws IOException {
        int filled = 0;
        while (filled < buf.length) {
            int n = in.read(buf, filled, buf.length - filled);
            if (n < 0) {
                break;
            }
            filled += n;
            if (filled > room) {
                throw new SeException(ErrorCode.FILE_TOO_LARGE, "file exceeds the maximum size of " + limit + " bytes");
            }
        }
        return filled;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }
}
