package io.artsore.se.replica;

import io.artsore.se.api.FileLookup;
import io.artsore.se.domain.FileMetadata;
import io.artsore.se.service.StorageEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.UUID;

/**
 * Lookup for replicas: the index first, and on a miss the change journal (another replica may have written the
 * file a moment ago and this one has not polled the journal yet). The leader announces every write there before
 * it answers, so a file whose upload was acknowledged is found; one that was never announced was never
 * acknowledged, and a new leader announces those it adopts. A miss therefore costs one journal poll (a listing
 * of {@code .changes/} and a read of what was appended), never a listing of a shard directory, which over NFS
 * is tens of thousands of entries per random id (security review L4). An I/O error while looking is a 500,
 * never a 404; so is a sidecar that cannot be parsed.
 */
public final class FreshLookup implements FileLookup {
    /** Applies every change other replicas announced before the call. */
    @FunctionalInterface
    public interface Announcements {
        void catchUp() throws IOException;
    }

    private final StorageEngine engine;
    private final Announcements announcements;

    public FreshLookup(StorageEngine engine, Announcements announcements) {
        this.engine = engine;
        this.announcements = announcements;
    }

    @Override
    public Optional<FileMetadata> find(UUID id) {
        Optional<FileMetadata> indexed = engine.find(id);
        if (indexed.isPresent()) {
            return indexed;
        }
        try {
            announcements.catchUp();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the change journal while looking for file " + id, e);
        }
        return engine.find(id);
    }

    @Override
    public boolean hasUnreadableMetadata(UUID id) {
        return engine.hasUnreadableMetadata(id);
    }
}
