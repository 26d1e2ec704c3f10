package io.artsore.e2e.loadgen;

import java.io.InputStream;
import java.util.random.RandomGenerator;

/**
 * An input stream of exactly {@code length} pseudo-random bytes that cycles over one shared random block,
 * so an upload of any size costs no memory beyond the block. Each stream starts at a random offset so
 * that files differ from one another.
 */
final class PayloadInputStream extends InputStream {

    private static final int BLOCK_SIZE = 1 << 20;
    private static final byte[] BLOCK = randomBlock();

    private long remaining;
    private int position;

    PayloadInputStream(long length, RandomGenerator random) {
        this.remaining = length;
        this.position = random.nextInt(BLOCK_SIZE);
    }

    private static byte[] randomBlock() {
        byte[] block = new byte[BLOCK_SIZE];
        new java.util.SplittableRandom(0x5eed).nextBytes(block);
        return block;
    }

    @Override
    public int read() {
        if (remaining == 0) {
            return -1;
        }
        int b = BLOCK[position] & 0xff;
        advance(1);
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
        if (length == 0) {
            return 0;
        }
        if (remaining == 0) {
            return -1;
        }
        int n = (int) Math.min(Math.min(length, remaining), BLOCK_SIZE - position);
        System.arraycopy(BLOCK, position, buffer, offset, n);
        advance(n);
        return n;
    }

    @Override
    public int available() {
        return (int) Math.min(remaining, Integer.MAX_VALUE);
    }

    private void advance(int n) {
        remaining -= n;
        position = (position + n) % BLOCK_SIZE;
    }
}
