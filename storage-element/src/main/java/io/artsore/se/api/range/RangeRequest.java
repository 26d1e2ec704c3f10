package io.artsore.se.api.range;

import java.util.ArrayList;
import java.util.List;

/**
 * Evaluates a {@code Range} request header (RFC 9110 §14) for a representation of known size.
 *
 * <ul>
 *   <li>No header, or a range unit other than {@code bytes}: {@link RangeResult.Full} (RFC 9110 §14.2 says
 *       to ignore unknown units).</li>
 *   <li>{@code bytes=a-b}, {@code bytes=a-}, {@code bytes=-n}: {@link RangeResult.Partial}, with {@code b}
 *       clamped to {@code size-1} and a suffix longer than the representation meaning all of it.</li>
 *   <li>Syntax errors ({@code a > b}, non-digits, empty set) and ranges with nothing to send
 *       ({@code a >= size}, {@code -0}, any range of an empty representation):
 *       {@link RangeResult.NotSatisfiable} (416, as the contract asks also for malformed ranges).</li>
 *   <li><b>Multi-range policy</b>: a request with several ranges (e.g. {@code bytes=0-1,5-6}) is answered
 *       with the whole representation and 200, which RFC 9110 §14.2 allows ("a server MAY ignore the Range
 *       header field"). This avoids multipart/byteranges and the amplification attacks of many small or
 *       overlapping ranges. It is still a 416 when the set is malformed or none of its ranges is
 *       satisfiable.</li>
 * </ul>
 * Numbers too large for a {@code long} are saturated (they are then past the end or clamp to it).
 * Never throws on any header value.
 */
public final class RangeRequest {
    private static final String MALFORMED = "malformed Range header";
    private static final String UNSATISFIABLE = "range not satisfiable";

    private RangeRequest() {
    }

    public static RangeResult evaluate(String rangeHeader, long size) {
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0");
        }
        if (rangeHeader == null) {
            return new RangeResult.Full();
        }
        String header = rangeHeader.strip();
        int eq = header.indexOf('=');
        if (eq < 0) {
            return new RangeResult.NotSatisfiable(size, MALFORMED);
        }
        if (!header.substring(0, eq).strip().equalsIgnoreCase("bytes")) {
            return new RangeResult.Full();
        }
        List<RangeResult.Partial> satisfiable = new ArrayList<>();
        int specs = 0;
        for (String element : header.substring(eq + 1).split(",", -1)) {
            String spec = element.strip();
            if (spec.isEmpty()) {
                continue; // the #rule allows empty list elements
            }
            specs++;
            long[] bounds = parseSpec(spec);
            if (bounds == null) {
                return new RangeResult.NotSatisfiable(size, MALFORMED);
            }
            RangeResult.Partial resolved = resolve(bounds[0], bounds[1], size);
            if (resolved != null) {
                satisfiable.add(resolved);
            }
        }
        if (specs == 0) {
            return new RangeResult.NotSatisfiable(size, MALFORMED);
        }
        if (satisfiable.isEmpty()) {
            return new RangeResult.NotSatisfiable(size, UNSATISFIABLE);
        }
        return specs == 1 ? satisfiable.getFirst() : new RangeResult.Full();
    }

    /** {first, last} with last = -1 for an open range, or {-1, suffixLength}; null when malformed. */
    private static long[] parseSpec(String spec) {
        int dash = spec.indexOf('-');
        if (dash < 0 || spec.indexOf('-', dash + 1) >= 0) {
            return null;
        }
        String first = spec.substring(0, dash);
        String last = spec.substring(dash + 1);
        if (first.isEmpty()) {
            long suffix = parseDigits(last);
            return suffix < 0 ? null : new long[] {-1, suffix};
        }
        long start = parseDigits(first);
        if (start < 0) {
            return null;
        }
        if (last.isEmpty()) {
            return new long[] {start, -1};
        }
        long end = parseDigits(last);
        return end < 0 || end < start ? null : new long[] {start, end};
    }

    private static RangeResult.Partial resolve(long first, long last, long size) {
        if (first < 0) { // suffix range: the last `last` bytes
            return last == 0 || size == 0 ? null : new RangeResult.Partial(Math.max(0, size - last), size - 1, size);
        }
        if (first >= size) {
            return null;
        }
        long end = last < 0 ? size - 1 : Math.min(last, size - 1);
        return new RangeResult.Partial(first, end, size);
    }

    /** 1*DIGIT as a saturating long; -1 when empty or not ASCII digits. */
    private static long parseDigits(String s) {
        if (s.isEmpty()) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value > (Long.MAX_VALUE - 9) / 10 ? Long.MAX_VALUE : value * 10 + (c - '0');
        }
        return value;
    }
}
