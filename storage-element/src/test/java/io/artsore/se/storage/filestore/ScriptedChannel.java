package io.artsore.se.storage.filestore;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A FileChannel over a real one whose writes and flushes can be made to fail or block: stands in for a full
 * disk or a stalled device. Only what ContentWriter uses is supported.
 */
final class ScriptedChannel extends FileChannel {
    interface Hook {
        void before(long bytesWrittenSoFar) throws IOException;
    }

    private final FileChannel real;
    private final Hook beforeWrite;
    private final Hook beforeWriteBack;
    final AtomicLong written = new AtomicLong();
    final AtomicInteger writeBacks = new AtomicInteger();

    ScriptedChannel(FileChannel real, Hook beforeWrite, Hook beforeWriteBack) {
        this.real = real;
        this.beforeWrite = beforeWrite;
        this.beforeWriteBack = beforeWriteBack;
    }

    static ScriptedChannel plain(FileChannel real) {
        return new ScriptedChannel(real, n -> { }, n -> { });
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        beforeWrite.before(written.get());
        int n = real.write(src);
        written.addAndGet(n);
        return n;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        if (!metaData) {
            writeBacks.incrementAndGet();
            beforeWriteBack.before(written.get());
        }
        real.force(metaData);
    }

    @Override
    public long size() throws IOException {
        return real.size();
    }

    @Override
    public long position() throws IOException {
        return real.position();
    }

    @Override
    protected void implCloseChannel() throws IOException {
        real.close();
    }

    @Override
    public int read(ByteBuffer dst) {
        throw new UnsupportedOperationException();
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) {
        throw new UnsupportedOperationException();
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) {
        throw new UnsupportedOperationException();
    }

    @Override
    public FileChannel position(long newPosition) {
        throw new UnsupportedOperationException();
    }

    @Override
    public FileChannel truncate(long size) {
        throw new UnsupportedOperationException();
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) {
        throw new UnsupportedOperationException();
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) {
        throw new UnsupportedOperationException();
    }

    @Override
    public int read(ByteBuffer dst, long position) {
        throw new UnsupportedOperationException();
    }

    @Override
    public int write(ByteBuffer src, long position) {
        throw new UnsupportedOperationException();
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) {
        throw new UnsupportedOperationException();
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) {
        throw new UnsupportedOperationException();
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) {
        throw new UnsupportedOperationException();
    }
}
