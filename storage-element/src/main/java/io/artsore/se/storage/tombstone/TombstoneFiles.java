package io.artsore.se.storage.tombstone;

import io.artsore.se.domain.FileMetadata;
import io.artsore.se.logging.Events;
import io.artsore.se.storage.attr.AtomicFiles;
import io.artsore.se.storage.attr.AttrCodec;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The tombstones of purged files on disk, so that the list order survives a restart (and a follower that starts
 * mid-sync lists what the leader lists): {@code <data dir>/.tombstones/<removed-at millis>-<file_id>.json}, each
 * holding the purged file's last attr.json. The index scan skips dot directories, so these never count as files.
 *
 * <p>Best effort by design: a tombstone only keeps offsets stable for a client paging through the list. A lost
 * or unreadable one can make a sync that overlaps a crash step over one file; it never loses or revives data.
 */
public final class TombstoneFiles {
    public static final String DIR = ".tombstones";
    private static final Logger LOG = Logger.getLogger(TombstoneFiles.class.getName());
    private static final String SUFFIX = ".json";
    private static final long NOT_A_TOMBSTONE = -1;

    /** One tombstone as found on disk. */
    public record Entry(FileMetadata lastMetadata, long removedAtMillis) {
    }

    private final Path dir;

    private TombstoneFiles(Path dir) {
        this.dir = dir;
    }

    /** The tombstone directory of {@code dataDir}, created (durably) when missing. */
    public static TombstoneFiles in(Path dataDir) throws IOException {
        Path dir = dataDir.resolve(DIR);
        AtomicFiles.createDirectoriesDurably(dir);
        return new TombstoneFiles(dir);
    }

    /** Records, durably, that the file {@code m} is removed at {@code removedAtMillis}. */
    public void record(FileMetadata m, long removedAtMillis) throws IOException {
        AtomicFiles.write(dir.resolve(removedAtMillis + "-" + m.fileId() + SUFFIX), AttrCodec.encode(m));
    }

    /** The tombstones of files removed at or after {@code cutoffMillis}; unreadable ones are logged and skipped. */
    public List<Entry> removedSince(long cutoffMillis) throws IOException {
        List<Entry> found = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                long removedAt = removedAtOf(file);
                if (removedAt == NOT_A_TOMBSTONE || removedAt < cutoffMillis) {
                    continue;
                }
                try {
                    found.add(new Entry(AttrCodec.decode(Files.readAllBytes(file), file), removedAt));
                } catch (NoSuchFileException gone) {
                    // dropped by another replica meanwhile
                } catch (IOException e) {
                    Events.log(LOG, Level.WARNING, "tombstone_not_loaded", "file", file.getFileName().toString(),
                            "reason", e.getMessage());
                }
            }
        }
        return found;
    }

    /**
     * Deletes the tombstones of files removed before {@code cutoffMillis}, and temp files a crash left behind
     * (call it only between purges: they write tombstones); returns how many tombstones went.
     */
    public int deleteRemovedBefore(long cutoffMillis) throws IOException {
        int deleted = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                long removedAt = removedAtOf(file);
                if (removedAt == NOT_A_TOMBSTONE) {
                    if (AtomicFiles.isTempName(file.getFileName().toString())) {
                        Files.deleteIfExists(file);
                    }
                } else if (removedAt < cutoffMillis && Files.deleteIfExists(file)) {
                    deleted++;
                }
            }
        }
        return deleted;
    }

    /** The removal time in a tombstone's name; {@link #NOT_A_TOMBSTONE} for anything else (a temp file). */
    private static long removedAtOf(Path file) {
        String name = file.getFileName().toString();
        int dash = name.indexOf('-');
        if (dash <= 0 || !name.endsWith(SUFFIX)) {
            return NOT_A_TOMBSTONE;
        }
        try {
            UUID.fromString(name.substring(dash + 1, name.length() - SUFFIX.length()));
            return Long.parseLong(name, 0, dash, 10);
        } catch (IllegalArgumentException e) {
            return NOT_A_TOMBSTONE;
        }
    }
}
