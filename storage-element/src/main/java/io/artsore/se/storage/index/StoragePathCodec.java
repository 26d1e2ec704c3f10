package io.artsore.se.storage.index;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Compact, exact encoding of a file's storage path. Data file names repeat the file's own metadata
 * ({@code ab/report_alice_20260221T101530Z_<uuid>.pdf}), so every occurrence of one of those values is
 * replaced by a one-byte token; anything else (another naming scheme, sanitised names) stays literal.
 * Decoding is exact for every input: characters that collide with token bytes are escaped.
 */
final class StoragePathCodec {
    /** Basic ISO-8601 UTC timestamp used in data file names. */
    static final DateTimeFormatter FILE_NAME_TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private static final char ESCAPE = 0;
    // Token chars 1..TOKEN_COUNT; literal chars below FIRST_PLAIN are escaped.
    private static final int TOKEN_COUNT = 7;
    private static final char FIRST_PLAIN = TOKEN_COUNT + 1;

    private StoragePathCodec() {
    }

    /** The values a storage path usually repeats, in token order (token char i+1 stands for values[i]). */
    private static String[] tokenValues(String fileId, String originalFilename, String uploadedBy, Instant at) {
        int dot = originalFilename.lastIndexOf('.');
        String stem = dot > 0 ? originalFilename.substring(0, dot) : originalFilename;
        String extension = dot > 0 ? originalFilename.substring(dot) : "";
        String timestamp;
        try {
            timestamp = FILE_NAME_TIMESTAMP.format(at);
        } catch (RuntimeException yearOutOfRange) {
            timestamp = "";
        }
        String shard = fileId.substring(0, 2);
        return new String[] {fileId, originalFilename, stem, uploadedBy, timestamp, extension, shard};
    }

    static byte[] encode(String path, String fileId, String originalFilename, String uploadedBy, Instant at) {
        String[] tokens = tokenValues(fileId, originalFilename, uploadedBy, at);
        StringBuilder out = new StringBuilder(path.length());
        int i = 0;
        while (i < path.length()) {
            int token = longestTokenAt(path, i, tokens);
            if (token >= 0) {
                out.append((char) (token + 1));
                i += tokens[token].length();
            } else {
                char c = path.charAt(i++);
                if (c < FIRST_PLAIN) {
                    out.append(ESCAPE);
                }
                out.append(c);
            }
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    static String decode(byte[] code, String fileId, String originalFilename, String uploadedBy, Instant at) {
        String text = new String(code, StandardCharsets.UTF_8);
        String[] tokens = null;
        StringBuilder out = new StringBuilder(text.length() + 64);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ESCAPE) {
                out.append(text.charAt(++i));
            } else if (c < FIRST_PLAIN) {
                if (tokens == null) {
                    tokens = tokenValues(fileId, originalFilename, uploadedBy, at);
                }
                out.append(tokens[c - 1]);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Index of the longest token (of at least two chars, so it saves space) that starts at {@code pos}, or -1. */
    private static int longestTokenAt(String path, int pos, String[] tokens) {
        int best = -1;
        int bestLength = 1;
        for (int t = 0; t < tokens.length; t++) {
            String value = tokens[t];
            if (value.length() > bestLength && path.startsWith(value, pos)) {
                best = t;
                bestLength = value.length();
            }
        }
        return best;
    }
}
