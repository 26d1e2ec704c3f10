package io.artsore.se.storage.filestore;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Access to data files that trusts nothing found on the shared volume (security review M3). Storage paths are
 * checked lexically elsewhere, but anyone who can write to the volume can plant a symbolic link (to a token, a
 * TLS key, {@code /proc/self/environ}), a FIFO (an open for reading waits for a writer forever) or a device
 * ({@code /dev/zero} never ends). So a data file is only ever read when it is a regular file itself and its
 * directory really lies inside the data dir; deletes only go through directories inside it.
 */
public final class ContentFiles {
    private ContentFiles() {
    }

    /** A data file that is there but must not be read: a link, FIFO, device or directory, or outside the data dir. */
    public static final class NotRegularContentException extends FileSystemException {
        private final String kind;

        NotRegularContentException(Path file, String kind) {
            super(file.toString(), null, "not a regular file inside the data dir: " + kind);
            this.kind = kind;
        }

        /** What was found instead, e.g. "symbolic link" or "fifo or device". */
        public String kind() {
            return kind;
        }
    }

    /** Opens {@code file} (below {@code dataDir}) for reading, refusing anything but a regular file inside it. */
    public static FileChannel openForRead(Path dataDir, Path file) throws IOException {
        requireRegular(dataDir, file);
        // NOFOLLOW_LINKS also closes the window in which the checked file is swapped for a link
        return FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    }

    public static InputStream newInputStream(Path dataDir, Path file) throws IOException {
        return Channels.newInputStream(openForRead(dataDir, file));
    }

    /**
     * @throws java.nio.file.NoSuchFileException when nothing is there
     * @throws NotRegularContentException when something is there that must not be read
     */
    public static void requireRegular(Path dataDir, Path file) throws IOException {
        BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!attrs.isRegularFile()) {
            throw new NotRegularContentException(file, kindOf(attrs));
        }
        requireDirectoryInside(dataDir, file);
    }

    /** Refuses a file whose directory leads out of the data dir through a linked directory. */
    public static void requireDirectoryInside(Path dataDir, Path file) throws IOException {
        Path root = dataDir.toAbsolutePath().normalize();
        Path parent = file.toAbsolutePath().normalize().getParent();
        if (parent == null || !parent.startsWith(root)) {
            throw new NotRegularContentException(file, "outside the data dir");
        }
        Path expected = root.toRealPath().resolve(root.relativize(parent));
        if (!parent.toRealPath().equals(expected)) {
            throw new NotRegularContentException(file, "in a linked directory");
        }
    }

    /** A name for what a non-regular directory entry is, for logs and reconciliation reports. */
    public static String kindOf(BasicFileAttributes attrs) {
        if (attrs.isSymbolicLink()) {
            return "symbolic link";
        }
        if (attrs.isDirectory()) {
            return "directory";
        }
        return attrs.isOther() ? "fifo, socket or device" : "regular file";
    }
}
