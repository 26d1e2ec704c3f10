package io.artsore.se.api;

import io.artsore.se.domain.ErrorCode;
import io.artsore.se.domain.FileMetadata;
import io.artsore.se.service.StorageEngine;
import java.util.Optional;
import java.util.UUID;

/**
 * Finds a file for a request. A 404 tells consumers the file is gone for good, so on a replica whose
 * index may lag this is where the disk gets checked before answering (see replica.FreshLookup), and a file
 * whose sidecar exists but cannot be parsed answers 500 {@code METADATA_CORRUPT}, never 404.
 */
public interface FileLookup {
    Optional<FileMetadata> find(UUID id);

    /** Whether {@code id}, which {@link #find} did not find, has a sidecar on disk that cannot be read. */
    boolean hasUnreadableMetadata(UUID id);

    default FileMetadata require(UUID id) {
        Optional<FileMetadata> found = find(id);
        if (found.isPresent()) {
            return found.get();
        }
        if (hasUnreadableMetadata(id)) {
            throw metadataCorrupt(id);
        }
        throw new ApiException(ErrorCode.NOT_FOUND, "file " + id + " not found");
    }

    static ApiException metadataCorrupt(UUID id) {
        return new ApiException(ErrorCode.METADATA_CORRUPT, "the metadata of file " + id
                + " exists but is unreadable; the file is kept and needs an operator");
    }

    static FileLookup indexOnly(StorageEngine engine) {
        return new FileLookup() {
            @Override
            public Optional<FileMetadata> find(UUID id) {
                return engine.find(id);
            }

            @Override
            public boolean hasUnreadableMetadata(UUID id) {
                return engine.hasUnreadableMetadata(id);
            }
        };
    }
}
