package io.artsore.se.storage.filestore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.artsore.se.domain.ErrorCode;
import io.artsore.se.domain.SeException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContentWriterTest {
    @TempDir
    Path dir;

    @Test
    void writesAllBytesAndTheirSha256() throws Exception {
        byte[] data = new byte[3 * ContentWriter.BUFFER_SIZE + 17];
        new Random(1).nextBytes(data);
        Path f = dir.resolve("out");
        List<Long> totals = new ArrayList<>();
        ContentWriter.Written w;
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            w = ContentWriter.write(new ByteArrayInputStream(data), ch, data.length, totals::add);
        }
        assertThat(w.size()).isEqualTo(data.length);
        assertThat(w.sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)));
        assertThat(Files.readAllBytes(f)).isEqualTo(data);
        assertThat(totals).isSorted().last().isEqualTo((long) data.length);
    }

    @Test
    void emptyBodyIsTheEmptyDigest() throws IOException {
        try (FileChannel ch = FileChannel.open(dir.resolve("e"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            assertThat(ContentWriter.write(InputStream.nullInputStream(), ch, 0, t -> { }).sha256())
                    .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        }
    }

    @Test
    void stopsReadingAsSoonAsTheLimitIsCrossed() throws IOException {
        long limit = 100_000;
        CountingEndlessStream in = new CountingEndlessStream();
        Path f = dir.resolve("big");
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            assertThatThrownBy(() -> ContentWriter.write(in, ch, limit, t -> { }))
                    .isInstanceOf(SeException.class)
                    .satisfies(e -> assertThat(((SeException) e).code()).isEqualTo(ErrorCode.FILE_TOO_LARGE));
        }
        assertThat(in.read).isLessThanOrEqualTo(limit + ContentWriter.BUFFER_SIZE);
        assertThat(Files.size(f)).isLessThanOrEqualTo(limit);
    }

    @Test
    void exactlyTheLimitIsAccepted() throws IOException {
        try (FileChannel ch = FileChannel.open(dir.resolve("x"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            assertThat(ContentWriter.write(new ByteArrayInputStream(new byte[10]), ch, 10, t -> { }).size()).isEqualTo(10);
        }
    }

    @Test
    void growthCallbackCanVetoTheUpload() throws IOException {
        try (FileChannel ch = FileChannel.open(dir.resolve("v"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            assertThatThrownBy(() -> ContentWriter.write(new ByteArrayInputStream(new byte[10]), ch, 100, t -> {
                throw new SeException(ErrorCode.STORAGE_FULL, "full");
            })).hasMessage("full");
        }
        assertThat(Files.size(dir.resolve("v"))).isZero();
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
