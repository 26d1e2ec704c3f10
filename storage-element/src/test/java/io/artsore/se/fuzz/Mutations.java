package io.artsore.se.fuzz;

import io.artsore.se.testing.RandomInputs;
import java.util.Arrays;
import java.util.List;
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

    /** One fuzzing input: {@code rounds} mutations driven by {@code seed}; shown as such when a property fails. */
    record Mutation(long seed, int rounds) {
        byte[] apply(byte[] input) {
            return mutate(input, seed, rounds);
        }
    }

    /** Any seed, and 1..maxRounds rounds. */
    static Mutation random(Random random, int maxRounds) {
        return new Mutation(random.nextLong(), (int) RandomInputs.longIn(random, 1, maxRounds));
    }

    /** The ends of both ranges: the fewest and the most rounds, with the extreme and the zero seeds. */
    static List<Mutation> edgeCases(int maxRounds) {
        return List.of(new Mutation(0, 1), new Mutation(0, maxRounds), new Mutation(Long.MIN_VALUE, 1),
                new Mutation(Long.MAX_VALUE, maxRounds), new Mutation(-1, maxRounds));
    }

    private static byte[] mutate(byte[] input, long seed, int rounds) {
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
