package io.artsore.se.api.multipart;

/**
 * Boyer-Moore-Horspool search for one fixed delimiter ({@code CRLF--boundary}). The delimiter is
 * 5..74 bytes long, so on ordinary content the search skips many bytes per comparison.
 */
final class DelimiterSearch {
    private final byte[] pattern;
    private final int[] shift = new int[256];

    DelimiterSearch(byte[] pattern) {
        this.pattern = pattern.clone();
        int n = pattern.length;
        java.util.Arrays.fill(shift, n);
        for (int i = 0; i < n - 1; i++) {
            shift[pattern[i] & 0xff] = n - 1 - i;
        }
    }

    int length() {
        return pattern.length;
    }

    /** Index of the first full occurrence in {@code buf[from, to)}, or -1. */
    int indexOf(byte[] buf, int from, int to) {
        int n = pattern.length;
        int last = n - 1;
        byte lastByte = pattern[last];
        int i = from;
        int end = to - n;
        while (i <= end) {
            byte b = buf[i + last];
            if (b == lastByte && matchesAt(buf, i)) {
                return i;
            }
            i += shift[b & 0xff];
        }
        return -1;
    }

    private boolean matchesAt(byte[] buf, int at) {
        for (int j = pattern.length - 2; j >= 0; j--) {
            if (buf[at + j] != pattern[j]) {
                return false;
            }
        }
        return true;
    }
}
