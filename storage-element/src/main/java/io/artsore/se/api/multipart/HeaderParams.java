package io.artsore.se.api.multipart;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A parsed header value of the form {@code value *( ";" name "=" ( token / quoted-string ) )}, as used by
 * {@code Content-Disposition} and {@code Content-Type}. Parameter names are lower-cased; a repeated
 * parameter is rejected (two different {@code name}s for one part would be ambiguous).
 *
 * <p>Inside quoted strings a backslash escapes only {@code "} and {@code \}; any other backslash is kept as
 * is, because browsers send Windows paths ({@code C:\dir\a.txt}) unescaped (WHATWG HTML encodes {@code "}
 * as {@code %22} instead).
 */
record HeaderParams(String value, Map<String, String> params) {

    static HeaderParams parse(String header) {
        int n = header.length();
        int semi = header.indexOf(';');
        String value = (semi < 0 ? header : header.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
        Map<String, String> params = new LinkedHashMap<>();
        int i = semi < 0 ? n : semi;
        while (i < n) {
            i++; // skip ';'
            i = skipSpaces(header, i);
            if (i >= n) {
                break; // a trailing ';' is tolerated
            }
            int eq = header.indexOf('=', i);
            if (eq < 0) {
                throw new MultipartException("malformed header parameter");
            }
            String name = header.substring(i, eq).trim().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                throw new MultipartException("malformed header parameter");
            }
            i = skipSpaces(header, eq + 1);
            String paramValue;
            if (i < n && header.charAt(i) == '"') {
                StringBuilder sb = new StringBuilder();
                i++;
                boolean closed = false;
                while (i < n) {
                    char c = header.charAt(i);
                    if (c == '\\' && i + 1 < n && (header.charAt(i + 1) == '"' || header.charAt(i + 1) == '\\')) {
                        sb.append(header.charAt(i + 1));
                        i += 2;
                    } else if (c == '"') {
                        closed = true;
                        i++;
                        break;
                    } else {
                        sb.append(c);
                        i++;
                    }
                }
                if (!closed) {
                    throw new MultipartException("unterminated quoted string in header");
                }
                paramValue = sb.toString();
                i = skipSpaces(header, i);
                if (i < n && header.charAt(i) != ';') {
                    throw new MultipartException("malformed header parameter");
                }
            } else {
                int end = header.indexOf(';', i);
                end = end < 0 ? n : end;
                paramValue = header.substring(i, end).trim();
                i = end;
            }
            if (params.putIfAbsent(name, paramValue) != null) {
                throw new MultipartException("repeated header parameter '" + name + "'");
            }
        }
        return new HeaderParams(value, params);
    }

    /** Decodes an RFC 5987 ext-value ({@code charset'lang'pct-encoded}); UTF-8 and ISO-8859-1 only. */
    static String decodeExtValue(String extValue) {
        int q1 = extValue.indexOf('\'');
        int q2 = q1 < 0 ? -1 : extValue.indexOf('\'', q1 + 1);
        if (q2 < 0) {
            throw new MultipartException("malformed filename* parameter");
        }
        String charsetName = extValue.substring(0, q1).trim().toUpperCase(Locale.ROOT);
        Charset charset = switch (charsetName) {
            case "UTF-8" -> StandardCharsets.UTF_8;
            case "ISO-8859-1" -> StandardCharsets.ISO_8859_1;
            default -> throw new MultipartException("unsupported charset in filename*");
        };
        String encoded = extValue.substring(q2 + 1);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '%') {
                if (i + 2 >= encoded.length()) {
                    throw new MultipartException("malformed percent-encoding in filename*");
                }
                int hi = Character.digit(encoded.charAt(i + 1), 16);
                int lo = Character.digit(encoded.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new MultipartException("malformed percent-encoding in filename*");
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else if (c > 0x20 && c < 0x7f) {
                bytes.write(c);
            } else {
                throw new MultipartException("malformed filename* parameter");
            }
        }
        return Text.decodeStrict(bytes.toByteArray(), charset, "filename*");
    }

    private static int skipSpaces(String s, int i) {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }
}
