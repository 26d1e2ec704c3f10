package io.artsore.se.storage.attr;

import io.artsore.se.storage.CrashPoints;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Crash-safe small-file replacement: temp file in the same directory → write → fsync → atomic rename →
 * fsync of the directory. After a crash the target holds either the old or the new content, never a mix.
 */
public final class AtomicFiles {
    /** Temp names start with this prefix (hidden) so scans can tell them from data and sidecars. */
    public static final String TEMP_PREFIX = ".atomic-";
    public static final String TEMP_SUFFIX = ".tmp";

    private AtomicFiles() {
    }

    /** Writes with a fresh random temp name. */
    public static void write(Path target, byte[] content) throws IOException {
        write(target, content, UUID.randomUUID().toString(), null);
    }

    /**
     * Writes through the temp file {@link #tempPath(Path, String)}; a caller that records the tag (e.g. a
     * transaction id in the WAL) can remove a temp left by a crash. {@code crashScope} names the crash points
     * {@code <scope>.temp-synced} and {@code <scope>.renamed}; null for none.
     */
    public static void write(Path target, byte[] content, String tempTag, String crashScope) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path temp = tempPath(target, tempTag);
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(content);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        if (crashScope != null) {
            CrashPoints.hit(crashScope + ".temp-synced");
        }
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        if (crashScope != null) {
            CrashPoints.hit(crashScope + ".renamed");
        }
        fsyncDirectory(dir);
    }

    /** The temp file a write of {@code target} with {@code tag} goes through (same directory, short name). */
    public static Path tempPath(Path target, String tag) {
        return target.toAbsolutePath().getParent().resolve(TEMP_PREFIX + tag + TEMP_SUFFIX);
    }

    public static boolean isTempName(String fileName) {
        return fileName.startsWith(TEMP_PREFIX) && fileName.endsWith(TEMP_SUFFIX);
    }

    /** Makes renames and unlinks inside {@code dir} durable. */
    public static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /** Deletes {@code file} if present and makes the removal durable. */
    public static boolean deleteDurably(Path file) throws IOException {
        boolean deleted = Files.deleteIfExists(file);
        if (deleted) {
            fsyncDirectory(file.toAbsolutePath().getParent());
        }
        return deleted;
    }
}
