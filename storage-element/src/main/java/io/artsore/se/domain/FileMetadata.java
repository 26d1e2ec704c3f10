package io.artsore.se.domain;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Metadata of one stored file: the contract's FileMetadata plus the internal {@code storagePath}
 * (data file path relative to the data dir, '/'-separated). Immutable; changes make new instances.
 */
public record FileMetadata(
        UUID fileId,
        String originalFilename,
        String contentType,
        long size,
        String checksum,
        String uploadedBy,
        Instant uploadedAt,
        String description,
        List<String> tags,
        FileStatus status,
        RetentionPolicy retentionPolicy,
        Integer ttlDays,
        Instant expiresAt,
        String storagePath) {

    public FileMetadata {
        Objects.requireNonNull(fileId, "fileId");
        Objects.requireNonNull(originalFilename, "originalFilename");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(checksum, "checksum");
        Objects.requireNonNull(uploadedBy, "uploadedBy");
        Objects.requireNonNull(uploadedAt, "uploadedAt");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(retentionPolicy, "retentionPolicy");
        tags = tags == null ? null : List.copyOf(tags);
    }

    public FileMetadata withStatus(FileStatus newStatus) {
        return new FileMetadata(fileId, originalFilename, contentType, size, checksum, uploadedBy, uploadedAt,
                description, tags, newStatus, retentionPolicy, ttlDays, expiresAt, storagePath);
    }

    public FileMetadata withDescriptionAndTags(String newDescription, List<String> newTags) {
        return new FileMetadata(fileId, originalFilename, contentType, size, checksum, uploadedBy, uploadedAt,
                newDescription, newTags, status, retentionPolicy, ttlDays, expiresAt, storagePath);
    }

    /** True when a temporary file's expiry has passed at {@code now}; such a file is never served. */
    public boolean isExpiredAt(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    /** Active and not past its expiry: the only state in which the content may be downloaded. */
    public boolean isReadableAt(Instant now) {
        return status == FileStatus.ACTIVE && !isExpiredAt(now);
    }
}
