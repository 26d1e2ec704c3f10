package io.artsore.se.service;

import java.io.IOException;
import java.nio.channels.FileChannel;

/** Makes an upload's content durable. A seam so tests can hold back or fail the fsync. */
@FunctionalInterface
interface ContentSync {
    ContentSync FORCE = content -> content.force(true);

    void sync(FileChannel content) throws IOException;
}
