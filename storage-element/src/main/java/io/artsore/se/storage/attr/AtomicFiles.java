package io.artsore.se.storage.attr;

import io.artsore.se.storage.CrashPoints;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Crash-safe small-file replacement: temp file in the same directory → write → fsync → atomic rename →
 * fsync of the directory. After a crash the target holds either the old or the new content, never a mix.
 */
public final class AtomicFiles {
    /** Temp names start with this prefix (hidden) so scans can tell them from data and sidecars. */
    public static final String TEMP_PREFIX = ".atomic-";
    public static final String TEMP_SUFFIX = ".tmp";

    /** Directories whose entry this process made durable ({@link #createDirectoriesDurably}). */
    private static final Set<Path> DURABLE_DIRECTORIES = ConcurrentHashMap.newKeySet();

    private AtomicFiles() {
    }

    /** Distinguishes this process's temp files from those of other processes writing the same directory. */
    private static final String PROCESS_TAG = UUID.randomUUID().toString().substring(0, 13).replace("-", "");

    /**
     * A temp tag for a file that several processes may rewrite (the replicas' {@code .leader.info}, {@code
     * mode.json}): a fixed tag would let a deposed leader and a new one write into the same temp file and mix or
     * lose each other's content (security review L7). Stable within the process, so a process's own crash
     * leftover is overwritten; another process's is removed by reconciliation once stale.
     */
    public static String processTempTag(String name) {
        return name + "-" + PROCESS_TAG;
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
            if (!CrashPoints.skipsFsync(fsyncName(crashScope, tempTag))) {
                ch.force(true);
            }
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
        fsyncDirectory(dir, fsyncName(crashScope, tempTag) + "-dir");
    }

    /** Writes a body too large to hold in memory (an index checkpoint). */
    @FunctionalInterface
    public interface StreamBody {
        void writeTo(OutputStream out) throws IOException;
    }

    /** As {@link #write(Path, byte[])}, with the content streamed by {@code body}. */
    public static void write(Path target, StreamBody body) throws IOException {
        Path temp = tempPath(target, UUID.randomUUID().toString());
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            body.writeTo(Channels.newOutputStream(ch));
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        fsyncDirectory(target.toAbsolutePath().getParent());
    }

    /** The name of a write's fsync for {@link CrashPoints#skipsFsync} (the mutation table in reliability.md). */
    private static String fsyncName(String crashScope, String tempTag) {
        if ("wal.begin".equals(crashScope)) {
            return "wal-record";
        }
        if (crashScope != null && crashScope.endsWith(".attr")) {
            return "sidecar";
        }
        return tempTag.startsWith("mode-") ? "mode" : "atomic";
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
        fsyncDirectory(dir, "dir");
    }

    /** As {@link #fsyncDirectory(Path)}; {@code name} names it for {@link CrashPoints#skipsFsync}. */
    public static void fsyncDirectory(Path dir, String name) throws IOException {
        if (CrashPoints.skipsFsync(name)) {
            return;
        }
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /** Deletes {@code file} if present and makes the removal durable. */
    public static boolean deleteDurably(Path file) throws IOException {
        return deleteDurably(file, "delete-dir");
    }

    /** As {@link #deleteDurably(Path)}; {@code fsyncName} names its directory fsync for the mutation tests. */
    public static boolean deleteDurably(Path file, String fsyncName) throws IOException {
        boolean deleted = Files.deleteIfExists(file);
        if (deleted) {
            fsyncDirectory(file.toAbsolutePath().getParent(), fsyncName);
        }
        return deleted;
    }

    /**
     * Creates {@code dir} and any missing parent so that they survive a power cut: a new directory is reachable
     * after a crash only once its entry in the parent is durable, which takes an fsync of the parent (the
     * directory's own fsync does not do it; L6 in the security review, issue 18). Each directory this process
     * has made durable is remembered, so an existing one costs its parent one fsync per process lifetime: that
     * also covers a directory an earlier process created but crashed before syncing, and one another thread
     * created but has not synced yet.
     */
    public static void createDirectoriesDurably(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath().normalize();
        if (DURABLE_DIRECTORIES.contains(abs) && Files.isDirectory(abs)) { // removed since: made again below
            return;
        }
        Path parent = abs.getParent();
        if (parent != null) {
            createDirectoriesDurably(parent);
        }
        if (!Files.isDirectory(abs)) {
            try {
                Files.createDirectory(abs);
            } catch (FileAlreadyExistsException e) {
                if (!Files.isDirectory(abs)) {
                    throw e;
                }
            }
        }
        if (parent != null) {
            fsyncDirectory(parent, "mkdir-parent");
        }
        DURABLE_DIRECTORIES.add(abs);
    }
}
