package io.artsore.se.storage.wal;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One write transaction. Paths are relative to the data dir ('/'-separated) so a remounted volume still
 * recovers; null when the operation does not touch that file. {@code previousAttr} and {@code writtenAttr} are the
 * full attr.json content before and after an update/delete: recovery puts the previous one back only while the
 * file still holds what this transaction wrote (another writer may have replaced it since). {@code writtenAttr} is
 * null in records of versions that did not keep it.
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
        String previousAttr,
        String writtenAttr) {

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
