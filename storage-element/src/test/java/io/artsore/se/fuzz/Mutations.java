package io.artsore.se.fuzz;

import java.util.Arrays;
import java.util.Random;

/** Byte-level mutations of valid inputs: the classic fuzzing moves (flip, insert, delete, duplicate, truncate). */
final class Mutations {
    private static final byte[][] INTERESTING = {
        "\r\n".getBytes(), "--".getBytes(), "\"".getBytes(), "\0".getBytes(), "%00".getBytes(), "../".getBytes(),
        "\\".getBytes(), ";".getBytes(), "=".getBytes(), "\u00ff".getBytes(), "-1".getBytes(),
        "99999999999999999999".getBytes(), "{".getBytes(), "}".getBytes(), "[]".getBytes(), "null".getBytes(),
    };

    private Mutations() {
    }

    static byte[] mutate(byte[] input, long seed, int rounds) {
        Random r = new Random(seed);
        byte[] b = input;
        for (int i = 0; i < rounds; i++) {
            int at = b.length == 0 ? 0 : r.nextInt(b.length);
            b = switch (r.nextInt(6)) {
                case 0 -> flip(b, at, r);
                case 1 -> insert(b, at, INTERESTING[r.nextInt(INTERESTING.length)]);
                case 2 -> delete(b, at, 1 + r.nextInt(16));
                case 3 -> insert(b, at, Arrays.copyOfRange(b, at, Math.min(b.length, at + 1 + r.nextInt(32))));
                case 4 -> Arrays.copyOf(b, at);
                default -> insert(b, at, randomBytes(r, 1 + r.nextInt(8)));
            };
        }
        return b;
    }

    private static byte[] flip(byte[] b, int at, Random r) {
        if (b.length == 0) {
            return b;
        }
        byte[] c = b.clone();
        c[at] ^= (byte) (1 << r.nextInt(8));
        return c;
    }

    private static byte[] insert(byte[] b, int at, byte[] what) {
        byte[] c = new byte[b.length + what.length];
        System.arraycopy(b, 0, c, 0, at);
        System.arraycopy(what, 0, c, at, what.length);
        System.arraycopy(b, at, c, at + what.length, b.length - at);
        return c;
    }

    private static byte[] delete(byte[] b, int at, int n) {
        int end = Math.min(b.length, at + n);
        byte[] c = new byte[b.length - (end - at)];
        System.arraycopy(b, 0, c, 0, at);
        System.arraycopy(b, end, c, at, b.length - end);
        return c;
    }

    private static byte[] randomBytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }
}
