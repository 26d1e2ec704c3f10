package io.artsore.se.storage.filestore;

import io.artsore.se.storage.attr.AttrCodec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Data file names of docs/contract.md §13: {@code {original_name}_{user}_{timestamp}_{file_id}.{ext}}. Client-supplied
 * parts are sanitised (no separators, NUL, control or format characters, no leading dots, no {@code ..}) and
 * cut to a byte budget on a code point boundary, so the whole sidecar name stays well under the usual
 * 255-byte file-name limit and is valid UTF-8. The full file id is always kept.
 */
public final class DataFileNames {
    static final int MAX_NAME_BYTES = 100;
    static final int MAX_USER_BYTES = 64;
    static final int MAX_EXT_BYTES = 16;
    private static final int UUID_CHARS = 36;
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private DataFileNames() {
    }

    public static String of(String originalFilename, String user, Instant uploadedAt, UUID fileId) {
        String base = baseName(originalFilename == null ? "" : originalFilename);
        String ext = "";
        int dot = base.lastIndexOf('.');
        if (dot > 0 && dot < base.length() - 1) {
            ext = sanitiseExtension(base.substring(dot + 1));
            base = base.substring(0, dot);
        }
        String name = sanitise(base, MAX_NAME_BYTES, "file");
        String who = sanitise(user, MAX_USER_BYTES, "unknown");
        String stem = name + "_" + who + "_" + TIMESTAMP.format(uploadedAt) + "_" + fileId;
        return ext.isEmpty() ? stem : stem + "." + ext;
    }

    /** Browsers and some clients send a full client-side path; only its last segment is the file's name. */
    private static String baseName(String name) {
        int cut = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
        return name.substring(cut + 1);
    }

    /**
     * The file id a data file's name ends with ({@code _<file_id>} or {@code _<file_id>.<ext>}), also given the
     * sidecar's name; empty for a name of another shape. Lets a sidecar that cannot be parsed still be tied to
     * its file.
     */
    public static Optional<UUID> fileIdOf(String fileName) {
        String name = fileName.endsWith(AttrCodec.SUFFIX)
                ? fileName.substring(0, fileName.length() - AttrCodec.SUFFIX.length()) : fileName;
        for (int at = name.lastIndexOf('_'); at >= 0; at = name.lastIndexOf('_', at - 1)) {
            int end = at + 1 + UUID_CHARS;
            if (end <= name.length() && (end == name.length() || name.charAt(end) == '.')) {
                String candidate = name.substring(at + 1, end);
                if (UUID_TEXT.matcher(candidate).matches()) {
                    return Optional.of(UUID.fromString(candidate));
                }
            }
        }
        return Optional.empty();
    }

    /** The sidecar of a data file: its name plus {@code .attr.json}. */
    public static String sidecarOf(String dataFileName) {
        return dataFileName + AttrCodec.SUFFIX;
    }

    /**
     * Replaces every character that could change the meaning of a path or confuse a terminal, strips
     * leading dots (hidden files, {@code .} and {@code ..}) and bounds the UTF-8 length.
     */
    static String sanitise(String raw, int maxBytes, String fallback) {
        StringBuilder out = new StringBuilder(Math.min(raw == null ? 0 : raw.length(), maxBytes));
        if (raw != null) {
            raw.codePoints().forEach(cp -> out.appendCodePoint(isSafe(cp) ? cp : '_'));
        }
        String s = out.toString();
        int start = 0;
        while (start < s.length() && s.charAt(start) == '.') {
            start++;
        }
        s = truncateUtf8(s.substring(start).replace("..", "__"), maxBytes);
        return s.isEmpty() ? fallback : s;
    }

    /** Extensions keep letters and digits only (ASCII), bounded; anything else is dropped. */
    static String sanitiseExtension(String raw) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < raw.length() && out.length() < MAX_EXT_BYTES; i++) {
            char c = raw.charAt(i);
            if (c < 128 && Character.isLetterOrDigit(c)) {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isSafe(int cp) {
        if (cp == '/' || cp == '\\' || cp == 0 || Character.isISOControl(cp)) {
            return false;
        }
        int type = Character.getType(cp);
        // Unpaired surrogates cannot be encoded as UTF-8; format characters (bidi overrides, zero-width) and
        // line/paragraph separators make names lie about themselves in listings.
        return type != Character.SURROGATE && type != Character.FORMAT && type != Character.LINE_SEPARATOR
                && type != Character.PARAGRAPH_SEPARATOR && type != Character.UNASSIGNED
                && type != Character.PRIVATE_USE;
    }

    /** The longest prefix of {@code s} whose UTF-8 encoding fits {@code maxBytes}, cut between code points. */
    static String truncateUtf8(String s, int maxBytes) {
        int bytes = 0;
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            int len = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + len > maxBytes) {
                break;
            }
            bytes += len;
            i += Character.charCount(cp);
        }
        return s.substring(0, i);
    }
}
