package io.artsore.e2e.loadgen;

import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * File sizes of uploads: a fixed size ({@code 4k}, {@code 256m}) or a uniform range ({@code 1k-64k}).
 * Suffixes k, m, g are binary (KiB, MiB, GiB); a bare number is bytes.
 */
public record SizeSpec(long min, long max) {

    public SizeSpec {
        if (min < 0 || max < min) {
            throw new IllegalArgumentException("bad size range " + min + "-" + max);
        }
    }

    public static SizeSpec parse(String text) {
        int dash = text.indexOf('-');
        if (dash < 0) {
            long size = parseBytes(text);
            return new SizeSpec(size, size);
        }
        return new SizeSpec(parseBytes(text.substring(0, dash)), parseBytes(text.substring(dash + 1)));
    }

    /** Parses {@code 123}, {@code 4k}, {@code 256m}, {@code 1g} (binary multiples). */
    public static long parseBytes(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.isEmpty()) {
            throw new IllegalArgumentException("empty size");
        }
        long multiplier = switch (t.charAt(t.length() - 1)) {
            case 'k' -> 1L << 10;
            case 'm' -> 1L << 20;
            case 'g' -> 1L << 30;
            default -> 1L;
        };
        String digits = multiplier == 1 ? t : t.substring(0, t.length() - 1);
        try {
            return Math.multiplyExact(Long.parseLong(digits), multiplier);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("bad size '" + text + "'", e);
        }
    }

    public long next(RandomGenerator random) {
        return min == max ? min : random.nextLong(min, max + 1);
    }

    @Override
    public String toString() {
        return min == max ? Long.toString(min) : min + "-" + max;
    }
}
