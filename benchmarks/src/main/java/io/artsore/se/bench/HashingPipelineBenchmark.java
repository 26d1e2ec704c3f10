package io.artsore.se.bench;

import io.artsore.se.storage.filestore.ContentWriter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The upload's one-pass hashing pipeline on {@code contentBytes} of content (8 MiB by default): SHA-256 alone
 * (CPU limit), SHA-256 plus FileChannel writes without fsync (the pipeline minus the disk's durability cost),
 * the former serial ContentWriter (hash, write, hash, write, …, fsync on one thread: the baseline) and
 * {@link ContentWriter#write} itself (hashing overlapped with writing and early write-back, then the fsync an upload makes) with
 * the pipeline shape given by {@code buffers}, {@code bufferKiB} and {@code writeBackMiB} (0 = no early
 * write-back). Result: contents per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HashingPipelineBenchmark {
    @Param({"8388608"})
    public int contentBytes;

    @Param({"65536"})
    public int chunkBytes;

    @Param({"4"})
    public int buffers;

    @Param({"128"})
    public int bufferKiB;

    @Param({"8"})
    public int writeBackMiB;

    private byte[] content;
    private Path dir;
    private Path file;

    @Setup
    public void setUp() throws IOException {
        content = new byte[contentBytes];
        new Random(7).nextBytes(content);
        dir = Files.createTempDirectory(Path.of(System.getProperty("bench.dir", ".")), "hash-bench-");
        file = dir.resolve("content.bin");
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        Files.deleteIfExists(file);
        Files.deleteIfExists(dir);
    }

    @Benchmark
    public byte[] sha256Only() throws NoSuchAlgorithmException {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (int off = 0; off < content.length; off += chunkBytes) {
            sha.update(content, off, Math.min(chunkBytes, content.length - off));
        }
        return sha.digest();
    }

    @Benchmark
    public byte[] sha256AndWriteNoFsync() throws IOException, NoSuchAlgorithmException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            return sha256AndWrite(ch);
        }
    }

    private byte[] sha256AndWrite(FileChannel ch) throws IOException, NoSuchAlgorithmException {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (int off = 0; off < content.length; off += chunkBytes) {
            int n = Math.min(chunkBytes, content.length - off);
            sha.update(content, off, n);
            ByteBuffer bb = ByteBuffer.wrap(content, off, n);
            while (bb.hasRemaining()) {
                ch.write(bb);
            }
        }
        return sha.digest();
    }

    /** The ContentWriter before the write-behind pipeline: one thread, chunkBytes per read and write. */
    @Benchmark
    public byte[] serialWithFsync() throws IOException, NoSuchAlgorithmException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            byte[] digest = sha256AndWrite(ch);
            ch.force(true);
            return digest;
        }
    }

    @Benchmark
    public ContentWriter.Written contentWriterWithFsync() throws IOException {
        long writeBack = writeBackMiB == 0 ? Long.MAX_VALUE : writeBackMiB * 1024L * 1024;
        ContentWriter.Pipeline pipeline = new ContentWriter.Pipeline(buffers, bufferKiB * 1024, writeBack);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ContentWriter.Written written = ContentWriter.write(new ByteArrayInputStream(content), ch, Long.MAX_VALUE,
                    total -> { }, pipeline);
            ch.force(true); // an upload runs this fsync in the background and waits for it before its commit
            return written;
        }
    }
}
