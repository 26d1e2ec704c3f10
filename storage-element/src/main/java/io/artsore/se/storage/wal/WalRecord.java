package io.artsore.se.storage.wal;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One write transaction. Paths are relative to the data dir ('/'-separated) so a remounted volume still
 * recovers; null when the operation does not touch that file. {@code previousAttr} is the full attr.json
 * content before an update/delete, so recovery can put it back.
 */
public record WalRecord(
        String transactionId,
        WalOperation operation,
        WalStatus status,
        UUID fileId,
        Instant startedAt,
        Instant completedAt,
        String tempPath,
        String dataPath,
        String attrPath,
        String attrTempPath,
        String previousAttr) {

    public WalRecord {
        Objects.requireNonNull(transactionId, "transactionId");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(fileId, "fileId");
        Objects.requireNonNull(startedAt, "startedAt");
    }

    /** Tag for {@link io.artsore.se.storage.attr.AtomicFiles#write(java.nio.file.Path, byte[], String, String)}. */
    public String tempTag() {
        return transactionId;
    }
}
