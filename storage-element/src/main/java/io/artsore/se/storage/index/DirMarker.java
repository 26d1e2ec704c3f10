package io.artsore.se.storage.index;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;

/**
 * What tells whether a directory's list of names changed: its inode, modification and change times (to the
 * nanosecond where the filesystem keeps them) and its link count (which counts subdirectories). Creating,
 * removing or renaming an entry — which every writer of attr.json does, through temp + rename — moves mtime and
 * ctime; ctime cannot be set back by hand. Rewriting a file's bytes in place moves neither (see
 * docs/performance.md, "Index checkpoint").
 */
public record DirMarker(long inode, long mtimeSecond, int mtimeNano, long ctimeSecond, int ctimeNano, int links) {
    private static final String ATTRIBUTES = "unix:ino,lastModifiedTime,ctime,nlink,isDirectory";

    /** The marker of {@code dir}; null when it is gone or is not a directory (a link to one is not followed). */
    static DirMarker of(Path dir) throws IOException {
        Map<String, Object> a;
        try {
            a = Files.readAttributes(dir, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
        if (!(Boolean) a.get("isDirectory")) {
            return null;
        }
        Instant mtime = ((FileTime) a.get("lastModifiedTime")).toInstant();
        Instant ctime = ((FileTime) a.get("ctime")).toInstant();
        return new DirMarker((Long) a.get("ino"), mtime.getEpochSecond(), mtime.getNano(), ctime.getEpochSecond(),
                ctime.getNano(), (Integer) a.get("nlink"));
    }

    /** Whether the directory changed at or after {@code instant} (by either time). */
    boolean changedSince(Instant instant) {
        return !Instant.ofEpochSecond(mtimeSecond, mtimeNano).isBefore(instant)
                || !Instant.ofEpochSecond(ctimeSecond, ctimeNano).isBefore(instant);
    }

    /** Two links (its entry in the parent and its own ".") mean no subdirectory, on filesystems that count them. */
    boolean hasNoSubdirectories() {
        return links == 2;
    }
}
