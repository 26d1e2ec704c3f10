package io.artsore.se.service.reconcile;

import io.artsore.se.storage.attr.AttrCodec;
import io.artsore.se.storage.filestore.ContentFiles;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files below the data dir, sorted into what reconciliation looks at. Internal files are left out and
 * never reported: {@code mode.json} at the top, every dot-file ({@code .leader.lock}, {@code .leader.info},
 * temp files of writes in flight) and every dot-directory (e.g. an NFS {@code .snapshot}), and the WAL dir
 * when it is configured inside the data dir. Dot-files ending in {@code .tmp} are temp files of writes
 * (uploads and atomic rewrites); they are listed separately so crash leftovers can be cleaned.
 */
final class DataDirListing {
    static final String MODE_FILE = "mode.json";
    static final String TEMP_SUFFIX = ".tmp";

    /** Relative path → absolute path of every sidecar, in walk order. */
    final Map<String, Path> sidecars = new LinkedHashMap<>();
    /** Relative path → size of every other (data) file. */
    final Map<String, Long> dataFiles = new LinkedHashMap<>();
    /**
     * Relative path → kind of every entry that is neither a regular file nor a walked directory (a symbolic link,
     * also to a directory, a FIFO, a device): never read or served, so reported instead (security review M3).
     */
    final Map<String, String> notRegular = new LinkedHashMap<>();
    final List<Temp> temps = new ArrayList<>();

    record Temp(String relativePath, Path path, Instant modified) {
    }

    private DataDirListing() {
    }

    static DataDirListing of(Path dataDir, Path walDir) throws IOException {
        Path root = dataDir.toAbsolutePath().normalize();
        Path wal = walDir.toAbsolutePath().normalize();
        DataDirListing listing = new DataDirListing();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                boolean internal = !dir.equals(root)
                        && (dir.equals(wal) || dir.getFileName().toString().startsWith("."));
                return internal ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                stopIfInterrupted();
                if (attrs.isRegularFile()) {
                    listing.classify(root, file, attrs);
                } else if (!file.getFileName().toString().startsWith(".")) {
                    listing.notRegular.put(relative(root, file), ContentFiles.kindOf(attrs));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE; // removed while walking (a purge): nothing to check
                }
                throw e;
            }
        });
        return listing;
    }

    private void classify(Path root, Path file, BasicFileAttributes attrs) {
        String name = file.getFileName().toString();
        String rel = relative(root, file);
        if (name.startsWith(".")) {
            if (name.endsWith(TEMP_SUFFIX)) {
                temps.add(new Temp(rel, file, attrs.lastModifiedTime().toInstant()));
            }
        } else if (name.endsWith(AttrCodec.SUFFIX)) {
            sidecars.put(rel, file);
        } else if (!(name.equals(MODE_FILE) && file.getParent().equals(root))) {
            dataFiles.put(rel, attrs.size());
        }
    }

    /** A run stops when its thread is interrupted (step-down, shutdown); the index then stays as it was. */
    static void stopIfInterrupted() throws InterruptedIOException {
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException("reconciliation interrupted");
        }
    }

    static String relative(Path root, Path file) {
        return root.relativize(file).toString().replace('\\', '/');
    }

    /** The data file a sidecar belongs to by name (its name minus {@code .attr.json}). */
    static String dataPathOf(String sidecarRelativePath) {
        return sidecarRelativePath.substring(0, sidecarRelativePath.length() - AttrCodec.SUFFIX.length());
    }
}
