package io.artsore.se.storage.wal;

import java.io.IOException;

/**
 * A WAL record whose content cannot be trusted: not JSON, a missing or invalid field, an unknown format version
 * or a checksum that does not match (a torn write, bit rot). Unlike an I/O error reading it, this will not go
 * away on a retry, so recovery quarantines such a record instead of failing startup.
 */
public final class UnreadableWalRecordException extends IOException {
    UnreadableWalRecordException(String message) {
        super(message);
    }

    UnreadableWalRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
