package io.artsore.se.testing;

import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Seeded random inputs for property tests, in plain JUnit 5.
 *
 * <p>Runs are reproducible: the seed is {@link #DEFAULT_SEED} unless {@code -Dse.random.seed=<long>} is given
 * ({@code -Dse.random.seed=random} picks a fresh one to explore further). Each try gets its own {@link Random}
 * derived from the seed and the try index, and a failure names the seed, the try and the input, so
 * {@code -Dse.random.seed=<seed>} replays it exactly. Hand-picked edge cases (empty strings, range ends, ...)
 * run before the random tries, because a uniform draw rarely hits them.
 */
public final class RandomInputs {
    public static final long DEFAULT_SEED = 0x5E_2024_A57L;
    /** Default longest generated string, as in common property-testing libraries. */
    private static final int DEFAULT_MAX_LENGTH = 255;
    private static final String SEED_PROPERTY = "se.random.seed";
    /** Characters that break parsers, headers and file names more often than a random one would. */
    private static final String SPECIAL_CHARS =
            "\u0000\t\n\r \"%'*,-./:;=\\_\u007f\u0085\u00a0\u00e9\u044f\u2028\u202e\ufeff\ud800\udfff\uffff";

    private RandomInputs() {
    }

    /** A property check over one input; may throw anything, which counts as a failure. */
    @FunctionalInterface
    public interface Check<T> {
        void accept(T input) throws Exception;
    }

    public static long seed() {
        String value = System.getProperty(SEED_PROPERTY);
        if (value == null || value.isBlank()) {
            return DEFAULT_SEED;
        }
        return value.equals("random") ? new Random().nextLong() : Long.decode(value.strip());
    }

    /**
     * Checks every edge case, then {@code tries} inputs drawn by {@code generator}, each from its own
     * {@link Random} seeded from {@link #seed()} and the try index.
     */
    public static <T> void forAll(List<T> edgeCases, int tries, Function<Random, T> generator, Check<T> property) {
        for (int i = 0; i < edgeCases.size(); i++) {
            T input = edgeCases.get(i);
            run(property, input, "edge case " + i);
        }
        long seed = seed();
        for (int i = 0; i < tries; i++) {
            T input = generator.apply(new Random(seed + 0x9E3779B97F4A7C15L * (i + 1)));
            run(property, input, "try " + i + " of " + tries + " (seed " + seed + ", replay with -D" + SEED_PROPERTY
                    + "=" + seed + ")");
        }
    }

    private static <T> void run(Check<T> property, T input, String which) {
        try {
            property.accept(input);
        } catch (Throwable failure) {
            throw new AssertionError(which + " failed for input " + show(input) + ": " + failure.getMessage(), failure);
        }
    }

    /** A length in [min, max], biased towards short values but hitting min and max now and then. */
    public static int length(Random random, int min, int max) {
        return switch (random.nextInt(8)) {
            case 0 -> min;
            case 1 -> max;
            case 2, 3 -> min + random.nextInt(Math.min(max - min, 4) + 1);
            default -> min + random.nextInt(max - min + 1);
        };
    }

    /** A long in [min, max]; one time in eight an end of the range. */
    public static long longIn(Random random, long min, long max) {
        if (random.nextInt(8) == 0) {
            return random.nextBoolean() ? min : max;
        }
        return random.nextLong(min, max == Long.MAX_VALUE ? max : max + 1);
    }

    /** Any UTF-16 string of length 0..255, see {@link #anyString(Random, int)}. */
    public static String anyString(Random random) {
        return anyString(random, DEFAULT_MAX_LENGTH);
    }

    /** Any UTF-16 string of length 0..maxLength: control characters, lone surrogates, pairs, any BMP char. */
    public static String anyString(Random random, int maxLength) {
        int length = length(random, 0, maxLength);
        StringBuilder sb = new StringBuilder(length);
        while (sb.length() < length) {
            switch (random.nextInt(6)) {
                case 0 -> sb.append((char) random.nextInt(0x20, 0x7f));
                case 1 -> sb.append((char) (random.nextBoolean() ? random.nextInt(0x20) : random.nextInt(0x7f, 0xa0)));
                case 2 -> sb.append((char) random.nextInt(Character.MIN_SURROGATE, Character.MAX_SURROGATE + 1));
                case 3 -> sb.append(SPECIAL_CHARS.charAt(random.nextInt(SPECIAL_CHARS.length())));
                case 4 -> sb.append((char) random.nextInt(Character.MAX_VALUE + 1));
                default -> {
                    if (sb.length() + 2 <= length) {
                        sb.appendCodePoint(random.nextInt(Character.MIN_SUPPLEMENTARY_CODE_POINT,
                                Character.MAX_CODE_POINT + 1));
                    }
                }
            }
        }
        return sb.toString();
    }

    /** A string of length minLength..maxLength made of the UTF-16 chars of {@code alphabet}. */
    public static String string(Random random, String alphabet, int minLength, int maxLength) {
        int length = length(random, minLength, maxLength);
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    /** A string of length minLength..maxLength made of chars in [from, to]. */
    public static String string(Random random, char from, char to, int minLength, int maxLength) {
        int length = length(random, minLength, maxLength);
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append((char) random.nextInt(from, to + 1));
        }
        return sb.toString();
    }

    public static byte[] bytes(Random random, int maxLength) {
        byte[] bytes = new byte[length(random, 0, maxLength)];
        random.nextBytes(bytes);
        return bytes;
    }

    @SafeVarargs
    public static <T> T oneOf(Random random, T... choices) {
        return choices[random.nextInt(choices.length)];
    }

    /** Shows an input in a failure message with every non-printable-ASCII char escaped. */
    static String show(Object input) {
        String text = input instanceof byte[] bytes ? HexFormat.of().formatHex(bytes) : String.valueOf(input);
        StringBuilder sb = new StringBuilder("\"");
        text.chars().limit(2000).forEach(c -> sb.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c)
                : String.format("\\u%04x", c)));
        return sb.append(text.length() > 2000 ? "...\"" : "\"").toString();
    }
}
