package io.artsore.se.service.gc;

import io.artsore.se.domain.FileMetadata;
import io.artsore.se.service.PendingUpload;
import io.artsore.se.service.StorageEngine;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/** Uploads through the engine for GC tests (and the GC crash child). */
final class GcFixtures {
    private GcFixtures() {
    }

    /** A temporary upload (edit mode) of {@code size} bytes with the given TTL. */
    static FileMetadata upload(StorageEngine e, String name, int size, int ttlDays) throws IOException {
        byte[] bytes = new byte[size];
        java.util.Arrays.fill(bytes, (byte) name.hashCode());
        try (PendingUpload u = e.beginUpload("gc-test", bytes.length)) {
            u.writeContent(name, "application/octet-stream", new ByteArrayInputStream(bytes));
            return u.commit(null, null, ttlDays);
        }
    }
}
