package io.artsore.se.api.range;

/** The outcome of evaluating a {@code Range} header against a representation of known size. */
public sealed interface RangeResult {

    /** Serve the whole representation with 200 (no Range, an ignored Range, or a multi-range request). */
    record Full() implements RangeResult {
    }

    /** Serve bytes {@code start..end} (inclusive, already clamped to the size) with 206. */
    record Partial(long start, long end, long size) implements RangeResult {
        public long length() {
            return end - start + 1;
        }

        /** The {@code Content-Range} value, e.g. {@code bytes 0-499/1234}. */
        public String contentRange() {
            return "bytes " + start + "-" + end + "/" + size;
        }
    }

    /**
     * Answer 416 {@code INVALID_RANGE} (docs/contract.md §6 treats a malformed range like an unsatisfiable one).
     * {@code reason} is a safe, client-visible message.
     */
    record NotSatisfiable(long size, String reason) implements RangeResult {
        /** The {@code Content-Range} value for the 416 response: {@code bytes *}{@code /SIZE}. */
        public String contentRange() {
            return "bytes */" + size;
        }
    }
}
