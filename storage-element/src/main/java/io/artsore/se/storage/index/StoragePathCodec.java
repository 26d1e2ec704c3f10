package io.artsore.se.storage.index;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * Compact, exact encoding of a file's storage path. Data file names repeat the file's own metadata
 * ({@code ab/report_alice_20260221T101530Z_<uuid>.pdf}), so every occurrence of one of those values is
 * replaced by a one-byte token; anything else (another naming scheme, sanitised names) stays literal.
 * Decoding is exact for every input: characters that collide with token bytes are escaped.
 */
final class StoragePathCodec {
    private static final char ESCAPE = 0;
    private static final int FILE_ID = 0;
    private static final int FILE_NAME = 1;
    private static final int STEM = 2;
    private static final int UPLOADER = 3;
    private static final int TIMESTAMP = 4;
    private static final int EXTENSION = 5;
    private static final int SHARD = 6;
    private static final int TOKEN_COUNT = 7;
    /** Token t is written as char t + 1; literal chars below this are escaped. */
    private static final char FIRST_PLAIN = TOKEN_COUNT + 1;

    private StoragePathCodec() {
    }

    static byte[] encode(String path, UUID fileId, String originalFilename, String uploadedBy, Instant at) {
        String[] tokens = new String[TOKEN_COUNT];
        for (int t = 0; t < TOKEN_COUNT; t++) {
            tokens[t] = tokenValue(t, fileId, originalFilename, uploadedBy, at);
        }
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

    static String decode(byte[] code, UUID fileId, String originalFilename, String uploadedBy, Instant at) {
        String text = new String(code, StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(text.length() + 72);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ESCAPE) {
                out.append(text.charAt(++i));
            } else if (c < FIRST_PLAIN) {
                out.append(tokenValue(c - 1, fileId, originalFilename, uploadedBy, at));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The values a storage path usually repeats; any pure function of the metadata keeps decoding exact. */
    private static String tokenValue(int token, UUID fileId, String originalFilename, String uploadedBy,
            Instant at) {
        int dot = originalFilename.lastIndexOf('.');
        return switch (token) {
            case FILE_ID -> fileId.toString();
            case FILE_NAME -> originalFilename;
            case STEM -> dot > 0 ? originalFilename.substring(0, dot) : originalFilename;
            case UPLOADER -> uploadedBy;
            case TIMESTAMP -> fileNameTimestamp(at);
            case EXTENSION -> dot > 0 ? originalFilename.substring(dot) : "";
            case SHARD -> fileId.toString().substring(0, 2);
            default -> throw new IllegalArgumentException("token " + token);
        };
    }

    /**
     * {@code yyyyMMdd'T'HHmmss'Z'} in UTC, the timestamp form used in data file names, or "" outside years
     * 0..9999. Hand-written because it runs for every listed file and DateTimeFormatter is slow.
     */
    static String fileNameTimestamp(Instant at) {
        if (at.getEpochSecond() < -62_167_219_200L || at.getEpochSecond() >= 253_402_300_800L) {
            return "";
        }
        LocalDateTime t = LocalDateTime.ofEpochSecond(at.getEpochSecond(), 0, ZoneOffset.UTC);
        byte[] out = new byte[16];
        digits(out, 0, t.getYear(), 4);
        digits(out, 4, t.getMonthValue(), 2);
        digits(out, 6, t.getDayOfMonth(), 2);
        out[8] = 'T';
        digits(out, 9, t.getHour(), 2);
        digits(out, 11, t.getMinute(), 2);
        digits(out, 13, t.getSecond(), 2);
        out[15] = 'Z';
        return new String(out, StandardCharsets.ISO_8859_1);
    }

    private static void digits(byte[] out, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
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
