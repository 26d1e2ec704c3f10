package io.artsore.se.replica;

import io.artsore.se.api.FileLookup;
import io.artsore.se.domain.FileMetadata;
import io.artsore.se.service.StorageEngine;
import io.artsore.se.storage.attr.CorruptAttrException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.UUID;

/**
 * Lookup for replicas: the index first, and on a miss the disk (another replica may have written the file a
 * moment ago and the journal has not been read yet). A 404 then means the file really is not there; an I/O
 * error while looking, or a sidecar that cannot be parsed, is a 500, never a 404.
 */
public final class FreshLookup implements FileLookup {
    private final StorageEngine engine;

    public FreshLookup(StorageEngine engine) {
        this.engine = engine;
    }

    @Override
    public Optional<FileMetadata> find(UUID id) {
        Optional<FileMetadata> indexed = engine.find(id);
        if (indexed.isPresent()) {
            return indexed;
        }
        try {
            return engine.reloadFromDisk(id);
        } catch (CorruptAttrException e) {
            throw FileLookup.metadataCorrupt(id);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot look for file " + id + " on disk", e);
        }
    }

    /** The disk was read just now by {@link #find}: a sidecar it could not parse was reported there. */
    @Override
    public boolean hasUnreadableMetadata(UUID id) {
        return false;
    }
}
