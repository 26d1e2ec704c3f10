package io.artsore.se.api;

import io.artsore.se.domain.FileMetadata;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The contract's FileMetadata JSON (§2): attr.json without the internal storage path. */
public record FileMetadataView(
        UUID fileId,
        String originalFilename,
        String contentType,
        long size,
        String checksum,
        String uploadedBy,
        Instant uploadedAt,
        String description,
        List<String> tags,
        String status,
        String retentionPolicy,
        Integer ttlDays,
        Instant expiresAt) {

    public static FileMetadataView of(FileMetadata m) {
        return new FileMetadataView(m.fileId(), m.originalFilename(), m.contentType(), m.size(), m.checksum(),
                m.uploadedBy(), m.uploadedAt(), m.description(), m.tags() == null ? List.of() : m.tags(),
                m.status().wireName(), m.retentionPolicy().wireName(), m.ttlDays(), m.expiresAt());
    }
}
