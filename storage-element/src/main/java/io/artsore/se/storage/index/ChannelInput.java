package io.artsore.se.storage.index;

import java.io.DataInput;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * {@link DataInput} over a channel through one buffer, without the per-call locking of
 * {@code DataInputStream(BufferedInputStream)}: a checkpoint of millions of entries is tens of millions of small
 * reads. Big-endian, as {@link java.io.DataOutputStream} writes.
 */
final class ChannelInput implements DataInput {
    private final ReadableByteChannel channel;
    private final ByteBuffer buffer;

    ChannelInput(ReadableByteChannel channel, int bufferSize) {
        this.channel = channel;
        this.buffer = ByteBuffer.allocate(bufferSize).flip();
    }

    /** Makes at least {@code n} (at most the buffer's size) bytes readable. */
    private ByteBuffer need(int n) throws IOException {
        if (buffer.remaining() < n) {
            buffer.compact();
            while (buffer.position() < n) {
                if (channel.read(buffer) < 0) {
                    buffer.flip();
                    throw new EOFException();
                }
            }
            buffer.flip();
        }
        return buffer;
    }

    @Override
    public void readFully(byte[] b) throws IOException {
        readFully(b, 0, b.length);
    }

    @Override
    public void readFully(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            int n = Math.min(len, buffer.capacity());
            need(n).get(b, off, n);
            off += n;
            len -= n;
        }
    }

    @Override
    public int skipBytes(int n) throws IOException {
        readFully(new byte[n]);
        return n;
    }

    @Override
    public boolean readBoolean() throws IOException {
        return readByte() != 0;
    }

    @Override
    public byte readByte() throws IOException {
        return need(1).get();
    }

    @Override
    public int readUnsignedByte() throws IOException {
        return readByte() & 0xFF;
    }

    @Override
    public short readShort() throws IOException {
        return need(2).getShort();
    }

    @Override
    public int readUnsignedShort() throws IOException {
        return readShort() & 0xFFFF;
    }

    @Override
    public char readChar() throws IOException {
        return need(2).getChar();
    }

    @Override
    public int readInt() throws IOException {
        return need(4).getInt();
    }

    @Override
    public long readLong() throws IOException {
        return need(8).getLong();
    }

    @Override
    public float readFloat() throws IOException {
        return need(4).getFloat();
    }

    @Override
    public double readDouble() throws IOException {
        return need(8).getDouble();
    }

    @Override
    public String readLine() {
        throw new UnsupportedOperationException("a checkpoint has no lines");
    }

    @Override
    public String readUTF() throws IOException {
        return DataInputStream.readUTF(this);
    }
}
