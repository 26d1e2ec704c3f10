package io.artsore.se.service;

import io.artsore.se.storage.CrashPoints;
import java.io.IOException;
import java.nio.channels.FileChannel;

/** Makes an upload's content durable. A seam so tests can hold back or fail the fsync. */
@FunctionalInterface
interface ContentSync {
    ContentSync FORCE = content -> {
        if (!CrashPoints.skipsFsync("content")) {
            content.force(true);
        }
    };

    void sync(FileChannel content) throws IOException;
}
