package io.artsore.se.api;

import io.artsore.se.domain.ErrorCode;
import io.artsore.se.domain.FileMetadata;
import io.artsore.se.service.StorageEngine;
import java.util.Optional;
import java.util.UUID;

/**
 * Finds a file for a request. A 404 tells consumers the file is gone for good, so on a replica whose
 * index may lag this is where the disk gets checked before answering (see replica.FreshLookup).
 */
public interface FileLookup {
    Optional<FileMetadata> find(UUID id);

    default FileMetadata require(UUID id) {
        return find(id).orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "file " + id + " not found"));
    }

    static FileLookup indexOnly(StorageEngine engine) {
        return engine::find;
    }
}
