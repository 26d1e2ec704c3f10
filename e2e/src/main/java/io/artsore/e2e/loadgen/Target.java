package io.artsore.e2e.loadgen;

import java.io.IOException;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * A server the generator drives. Each method performs one request and returns the payload bytes it moved
 * (or the stored file), throwing {@link OpFailedException} when the answer is not the expected one.
 */
interface Target {

    Set<OpType> supportedOps();

    StoredFile upload(long size, RandomGenerator random) throws IOException, InterruptedException, OpFailedException;

    /** Full download; fails unless exactly {@code file.size()} bytes arrive. */
    long download(StoredFile file) throws IOException, InterruptedException, OpFailedException;

    /** Download of bytes {@code first..last} (inclusive); fails unless exactly that many bytes arrive. */
    long downloadRange(StoredFile file, long first, long last) throws IOException, InterruptedException, OpFailedException;

    /** One list page at the cursor, which it advances (and wraps to 0 at the end). Returns body bytes. */
    long listPage(ListCursor cursor) throws IOException, InterruptedException, OpFailedException;

    /** Metadata of one file. Returns body bytes. */
    long metadata(StoredFile file) throws IOException, InterruptedException, OpFailedException;

    /** Per-client paging position for list operations. */
    final class ListCursor {
        long offset;
    }
}
