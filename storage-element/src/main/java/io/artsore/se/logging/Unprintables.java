package io.artsore.se.logging;

import java.util.Locale;

/**
 * Characters a log line must not carry raw. Log fields hold text clients control (file names, multipart part
 * names and parameters inside error messages): a raw ESC or C1 control drives the terminal of whoever reads
 * the log, U+2028/U+2029 and CR/LF break lines for log shippers, and bidi overrides make a line read
 * differently from what it says (security review L8).
 */
final class Unprintables {
    private Unprintables() {
    }

    static boolean isUnprintable(char c) {
        return c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f)
                || c == '\u2028' || c == '\u2029'
                || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069');
    }

    /** {@code \\uXXXX} for one character, as JSON writes it. */
    static void appendEscaped(StringBuilder sb, char c) {
        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
    }

    /** {@code s} with every unprintable character written as {@code \\uXXXX} (the text log format). */
    static String escape(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (isUnprintable(c)) {
                if (sb == null) {
                    sb = new StringBuilder(s.length() + 16).append(s, 0, i);
                }
                appendEscaped(sb, c);
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? s : sb.toString();
    }
}
