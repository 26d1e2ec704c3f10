package io.artsore.se.service.scrub;

import io.artsore.se.storage.filestore.ContentFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Streams a file through SHA-256 (lowercase hex, as in attr.json), optionally paced. */
public final class ContentHash {
    static final int CHUNK = 64 * 1024;

    private ContentHash() {
    }

    /** Counts bytes as they are hashed (metrics). */
    @FunctionalInterface
    public interface Progress {
        void read(int bytes);
    }

    /**
     * @param dataDir the data dir {@code file} must lie in
     * @param limiter null for full speed (on-demand verification)
     * @throws InterruptedException when interrupted while paced (the scrubber is stopping)
     */
    public static String sha256(Path dataDir, Path file, ByteRateLimiter limiter, Progress progress)
            throws IOException, InterruptedException {
        MessageDigest digest = newDigest();
        byte[] buf = new byte[CHUNK];
        // a FIFO would block this thread for good, /dev/zero would hash forever, a link would hash a secret
        try (InputStream in = ContentFiles.newInputStream(dataDir, file)) {
            int n;
            while ((n = in.readNBytes(buf, 0, CHUNK)) > 0) {
                digest.update(buf, 0, n);
                progress.read(n);
                if (limiter != null) {
                    limiter.acquire(n); // pay for what was read: small files cost what they weigh
                }
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }
}
