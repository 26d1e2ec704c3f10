package io.artsore.se.storage.filestore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.artsore.se.domain.ErrorCode;
import io.artsore.se.domain.SeException;
import io.artsore.se.memory.BufferBudget;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Several tests read endless streams: the timeout turns a writer that stops checking for failures into a red test, not a hang. */
@Timeout(120)
class ContentWriterTest {
    /** Small buffers so that tests cross many buffer and write-back boundaries with little data. */
    private static final int B = 1024;
    private static final ContentWriter.Pipeline SMALL = new ContentWriter.Pipeline(3, B, 4 * B);

    @TempDir
    Path dir;

    private final CountingThreads threads = new CountingThreads();

    @AfterEach
    void noBackgroundThreadOutlivesTheCall() {
        assertThat(threads.created).allSatisfy(t -> assertThat(t.isAlive()).as(t.getName()).isFalse());
    }

    @Test
    void writesAllBytesAndTheirSha256AroundBufferBoundaries() throws Exception {
        for (int size : new int[] {0, 1, B - 1, B, B + 1, 2 * B, 3 * B - 1, 3 * B + 1, 4 * B, 4 * B + 1, 50 * B + 7}) {
            byte[] data = new byte[size];
            new Random(size).nextBytes(data);
            Path f = dir.resolve("out-" + size);
            List<Long> totals = new ArrayList<>();
            ContentWriter.Written w;
            try (FileChannel ch = open(f)) {
                // the stream hands out odd small pieces, as TLS records and the multipart reader do
                w = ContentWriter.write(new Trickle(data, size), ch, size, totals::add, SMALL, threads);
            }
            assertThat(w.size()).as("size %d", size).isEqualTo(size);
            assertThat(w.sha256()).as("sha of %d", size).isEqualTo(sha256(data));
            assertThat(Files.readAllBytes(f)).as("bytes of %d", size).isEqualTo(data);
            assertThat(totals).isSorted();
            if (size > 0) {
                assertThat(totals).last().isEqualTo((long) size);
            }
        }
    }

    @Test
    void theProductionPipelineWritesExactBytes() throws Exception {
        byte[] data = new byte[3 * ContentWriter.Pipeline.DEFAULT.bufferSize() + 17];
        new Random(1).nextBytes(data);
        Path f = dir.resolve("out");
        ContentWriter.Written w;
        try (FileChannel ch = open(f)) {
            w = ContentWriter.write(new ByteArrayInputStream(data), ch, data.length, t -> { });
        }
        assertThat(w.sha256()).isEqualTo(sha256(data));
        assertThat(Files.readAllBytes(f)).isEqualTo(data);
    }

    @Test
    void aBodyThatFitsInOneBufferStartsNoThread() throws IOException {
        try (FileChannel ch = open(dir.resolve("small"))) {
            ContentWriter.write(new ByteArrayInputStream(new byte[B - 1]), ch, B, t -> { }, SMALL, threads);
        }
        assertThat(threads.created).isEmpty();
    }

    @Test
    void flushesWhatIsWrittenEveryWriteBackPeriod() throws IOException {
        try (ScriptedChannel ch = ScriptedChannel.plain(open(dir.resolve("wb")))) {
            ContentWriter.write(new ByteArrayInputStream(new byte[40 * B]), ch, 40 * B, t -> { }, SMALL, threads);
            // 40 buffers and a period of 4: at least one early flush (they are skipped while one is running)
            assertThat(ch.writeBacks.get()).isPositive();
        }
    }

    @Test
    void emptyBodyIsTheEmptyDigest() throws IOException {
        try (FileChannel ch = open(dir.resolve("e"))) {
            assertThat(ContentWriter.write(InputStream.nullInputStream(), ch, 0, t -> { }).sha256())
                    .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        }
    }

    @Test
    void stopsReadingAsSoonAsTheLimitIsCrossed() throws IOException {
        long limit = 10 * B + 100;
        CountingEndlessStream in = new CountingEndlessStream();
        Path f = dir.resolve("big");
        try (FileChannel ch = open(f)) {
            assertThatThrownBy(() -> ContentWriter.write(in, ch, limit, t -> { }, SMALL, threads))
                    .isInstanceOf(SeException.class)
                    .satisfies(e -> assertThat(((SeException) e).code()).isEqualTo(ErrorCode.FILE_TOO_LARGE));
        }
        assertThat(in.read).isLessThanOrEqualTo(limit + B);
        assertThat(Files.size(f)).isLessThanOrEqualTo(limit);
        assertThat(threads.created).isNotEmpty(); // the limit was crossed with the pipeline running
    }

    @Test
    void exactlyTheLimitIsAccepted() throws IOException {
        try (FileChannel ch = open(dir.resolve("x"))) {
            assertThat(ContentWriter.write(new ByteArrayInputStream(new byte[10]), ch, 10, t -> { }).size()).isEqualTo(10);
        }
    }

    @Test
    void growthCallbackCanVetoTheUpload() throws IOException {
        try (FileChannel ch = open(dir.resolve("v"))) {
            assertThatThrownBy(() -> ContentWriter.write(new ByteArrayInputStream(new byte[10]), ch, 100, t -> {
                throw new SeException(ErrorCode.STORAGE_FULL, "full");
            })).hasMessage("full");
        }
        assertThat(Files.size(dir.resolve("v"))).isZero();
    }

    @Test
    void aFullDiskInTheBackgroundSurfacesAsTheSameIOException() throws IOException {
        IOException enospc = new IOException("No space left on device");
        CountingEndlessStream in = new CountingEndlessStream();
        try (ScriptedChannel ch = new ScriptedChannel(open(dir.resolve("full")), written -> {
            if (written >= 5 * B) {
                throw enospc;
            }
        }, n -> { })) {
            assertThatThrownBy(() -> ContentWriter.write(in, ch, Long.MAX_VALUE, t -> { }, SMALL, threads))
                    .isSameAs(enospc);
            assertThat(ch.written.get()).isEqualTo(5 * B);
        }
        // reading stopped within the buffers in flight: the failure does not wait for the end of the body
        assertThat(in.read).isLessThanOrEqualTo(5 * B + 4L * B);
    }

    @Test
    void aFailedEarlyFlushFailsTheUpload() throws IOException {
        IOException eio = new IOException("Input/output error");
        try (ScriptedChannel ch = new ScriptedChannel(open(dir.resolve("eio")), n -> { }, n -> {
            throw eio;
        })) {
            assertThatThrownBy(() -> ContentWriter.write(new ByteArrayInputStream(new byte[40 * B]), ch, 40 * B,
                    t -> { }, SMALL, threads)).isSameAs(eio);
        }
    }

    @Test
    void aBrokenClientStreamStopsTheWriterAndWritesNothingMore() throws IOException {
        IOException reset = new IOException("Connection reset");
        InputStream in = new InputStream() {
            private int left = 7 * B + 3;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (left == 0) {
                    throw reset;
                }
                int n = Math.min(len, left);
                left -= n;
                return n;
            }
        };
        try (ScriptedChannel ch = ScriptedChannel.plain(open(dir.resolve("reset")))) {
            assertThatThrownBy(() -> ContentWriter.write(in, ch, Long.MAX_VALUE, t -> { }, SMALL, threads))
                    .isSameAs(reset);
            long afterReturn = ch.written.get();
            assertThat(afterReturn).isLessThanOrEqualTo(7 * B);
            // the @AfterEach check proves no thread is left that could still write
        }
    }

    @Test
    void interruptingTheUploadWhileTheDiskStallsAbandonsQueuedBuffers() throws Exception {
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch diskResumes = new CountDownLatch(1);
        ScriptedChannel ch = new ScriptedChannel(open(dir.resolve("stall")), written -> {
            writing.countDown();
            try {
                diskResumes.await();
            } catch (InterruptedException e) {
                throw new InterruptedIOException();
            }
        }, n -> { });
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread upload = Thread.ofPlatform().start(() -> {
            try {
                ContentWriter.write(new CountingEndlessStream(), ch, Long.MAX_VALUE, t -> { }, SMALL, threads);
            } catch (Throwable e) {
                outcome.set(e);
            }
        });
        assertThat(writing.await(30, TimeUnit.SECONDS)).isTrue();
        awaitState(upload, Thread.State.WAITING); // all buffers are queued: the upload waits for the disk
        upload.interrupt();
        // now it waits for the stalled write to end, not for more: its state alone would still read WAITING for a
        // moment after the interrupt, so wait until it is inside the join on the writer thread
        awaitWaitingIn(upload, "joinUninterruptibly");
        diskResumes.countDown();
        upload.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(upload.isAlive()).isFalse();
        assertThat(outcome.get()).isInstanceOf(InterruptedIOException.class);
        assertThat(ch.written.get()).as("only the write in progress completes").isEqualTo(B);
        ch.close();
    }

    private static void awaitState(Thread t, Thread.State state) throws InterruptedException {
        for (int i = 0; i < 3000 && t.getState() != state; i++) {
            Thread.sleep(10);
        }
        assertThat(t.getState()).isEqualTo(state);
    }

    private static void awaitWaitingIn(Thread t, String method) throws InterruptedException {
        for (int i = 0; i < 3000 && !(t.getState() == Thread.State.WAITING && isIn(t, method)); i++) {
            Thread.sleep(10);
        }
        assertThat(isIn(t, method)).as("%s waits in %s", t.getName(), method).isTrue();
        assertThat(t.getState()).isEqualTo(Thread.State.WAITING);
    }

    private static boolean isIn(Thread t, String method) {
        return Arrays.stream(t.getStackTrace()).anyMatch(f -> f.getMethodName().equals(method));
    }

    @Test
    void underMemoryPressureAnUploadRunsWithTheOneBufferItGotAndGivesItBack() throws Exception {
        BufferBudget budget = new BufferBudget(B, Duration.ZERO); // room for exactly one pipeline buffer
        byte[] data = new byte[40 * B + 3];
        new Random(7).nextBytes(data);
        ContentWriter.Written w;
        try (FileChannel ch = open(dir.resolve("one-buffer"))) {
            w = ContentWriter.write(new Trickle(data, data.length), ch, data.length, t -> { }, SMALL, threads, budget);
        }
        assertThat(Files.readAllBytes(dir.resolve("one-buffer"))).isEqualTo(data);
        assertThat(w.sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)));
        assertThat(budget.availableBytes()).isEqualTo(budget.totalBytes());
    }

    @Test
    void anUploadThatGetsNoBufferInTimeIsRefusedAsBusyBeforeWritingAByte() throws Exception {
        BufferBudget budget = new BufferBudget(B, Duration.ZERO);
        try (BufferBudget.Lease taken = budget.reserve(B); FileChannel ch = open(dir.resolve("busy"))) {
            assertThatThrownBy(() -> ContentWriter.write(new ByteArrayInputStream(new byte[10]), ch, 10, t -> { },
                    SMALL, threads, budget)).isInstanceOfSatisfying(SeException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.SERVER_BUSY));
            assertThat(ch.size()).isZero();
        }
    }

    private static FileChannel open(Path f) throws IOException {
        return FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    /** Records every thread the writer starts, so tests can prove none outlives the call. */
    static final class CountingThreads implements ThreadFactory {
        final List<Thread> created = new CopyOnWriteArrayList<>();
        private final ThreadFactory real = Thread.ofVirtual().factory();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = real.newThread(r);
            created.add(t);
            return t;
        }
    }

    /** Hands out the data in pseudo-random pieces of 1..700 bytes. */
    static final class Trickle extends InputStream {
        private final byte[] data;
        private final Random random;
        private int pos;

        Trickle(byte[] data, long seed) {
            this.data = data;
            this.random = new Random(seed);
        }

        @Override
        public int read() {
            return pos < data.length ? data[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos == data.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, data.length - pos), 1 + random.nextInt(700));
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }
    }

    static final class CountingEndlessStream extends InputStream {
        long read;

        @Override
        public int read() {
            read++;
            return 1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            read += len;
            return len;
        }
    }
}
