package io.artsore.se.storage.index;

import java.nio.file.Path;

/**
 * An attr file (or directory) the index builder could not take in. {@code path} is relative to the data dir;
 * {@code message} names no absolute filesystem path.
 */
public record BuildFailure(Path path, Kind kind, String message) {
    public enum Kind {
        /** The file or directory could not be read or parsed. */
        UNREADABLE,
        /** Another attr file has the same file_id; only one of them is indexed. */
        DUPLICATE_ID
    }
}
