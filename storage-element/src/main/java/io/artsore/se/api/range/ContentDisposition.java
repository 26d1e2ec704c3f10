package io.artsore.se.api.range;

import java.nio.charset.StandardCharsets;

/**
 * Builds {@code Content-Disposition: attachment} values (RFC 6266) that are safe to put in a header whatever
 * the stored name contains: the quoted {@code filename} is an ASCII fallback in which control characters,
 * non-ASCII characters, {@code "} and {@code \} become {@code _}; the exact name travels in
 * {@code filename*=UTF-8''...} (RFC 8187 percent-encoding), added only when the fallback differs from the
 * name. CR, LF and NUL can never appear in the result.
 */
public final class ContentDisposition {
    private static final String FALLBACK_NAME = "download";
    private static final String ATTR_CHAR_PUNCTUATION = "!#$&+-.^_`|~";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private ContentDisposition() {
    }

    public static String attachment(String filename) {
        String name = filename == null || filename.isBlank() ? FALLBACK_NAME : filename;
        String fallback = asciiFallback(name);
        String value = "attachment; filename=\"" + fallback + "\"";
        return fallback.equals(name) ? value : value + "; filename*=UTF-8''" + percentEncode(name);
    }

    private static String asciiFallback(String name) {
        StringBuilder sb = new StringBuilder(name.length());
        name.codePoints().forEach(cp -> sb.append(cp >= 0x20 && cp < 0x7f && cp != '"' && cp != '\\' ? (char) cp : '_'));
        return sb.toString();
    }

    private static String percentEncode(String name) {
        StringBuilder sb = new StringBuilder();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c < 0x80 && (Character.isLetterOrDigit(c) || ATTR_CHAR_PUNCTUATION.indexOf(c) >= 0)) {
                sb.append((char) c);
            } else {
                sb.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return sb.toString();
    }
}
