package io.artsore.se.storage.filestore;

import io.artsore.se.domain.ErrorCode;
import io.artsore.se.domain.SeException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.LongConsumer;

/**
 * Streams a body to a file in one pass, hashing the same bytes with SHA-256; memory use is one buffer. The
 * size limit is enforced while streaming: the chunk that crosses it is not written and reading stops.
 */
public final class ContentWriter {
    static final int BUFFER_SIZE = 64 * 1024;

    private ContentWriter() {
    }

    public record Written(long size, String sha256) {
    }

    /**
     * Copies {@code in} to {@code out}; making it durable is the caller's (who may overlap that fsync with other
     * work). {@code beforeGrowth} is told the new total before
     * each chunk is written (e.g. to grow a capacity reservation) and may throw to stop the upload.
     *
     * @throws SeException FILE_TOO_LARGE as soon as more than {@code limit} bytes arrive
     */
    public static Written write(InputStream in, FileChannel out, long limit, LongConsumer beforeGrowth)
            throws IOException {
        MessageDigest sha = sha256();
        byte[] buf = new byte[BUFFER_SIZE];
        long total = 0;
        int n;
        while ((n = in.read(buf)) != -1) {
            if (n == 0) {
                continue;
            }
            if (total + n > limit) {
                throw new SeException(ErrorCode.FILE_TOO_LARGE, "file exceeds the maximum size of " + limit + " bytes");
            }
            total += n;
            beforeGrowth.accept(total);
            sha.update(buf, 0, n);
            ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
            while (bb.hasRemaining()) {
                out.write(bb);
            }
        }
        return new Written(total, HexFormat.of().formatHex(sha.digest()));
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }
}
