package io.artsore.se.domain;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Every limit on the metadata a client sends with a file, in one place, so the API and the engine apply the
 * same rules. The limits bound the heap the index needs per file (it keeps all metadata in memory) and the
 * size of a list page. A "character" is a Unicode code point everywhere (docs/contract.md §15).
 */
public final class MetadataLimits {
    public static final int MAX_DESCRIPTION_CHARS = 1000;
    public static final int MAX_TAGS = 100;
    public static final int MAX_TAG_CHARS = 256;
    /** All tags of one file together, in UTF-8 bytes: the per-tag limits alone would allow ~100 KB. */
    public static final int MAX_TAGS_TOTAL_BYTES = 4096;
    public static final int MAX_CONTENT_TYPE_CHARS = 255;
    /** The client's file name before it is reduced to a base name (checked in the API). */
    public static final int MAX_FILENAME_CHARS = 1024;

    // RFC 9110 §8.3.1: type "/" subtype *( OWS ";" OWS [ parameter ] ), parameter values token or
    // quoted-string. Printable ASCII only: no obs-text, and no HTAB as OWS (it is a control character).
    private static final String TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
    private static final String QUOTED = "\"(?:[ !#-\\[\\]-~]|\\\\[ -~])*\"";
    private static final Pattern MEDIA_TYPE = Pattern.compile(
            TOKEN + "/" + TOKEN + "(?: *; *(?:" + TOKEN + "=(?:" + TOKEN + "|" + QUOTED + "))?)*");

    private MetadataLimits() {
    }

    /** The one definition of a length in characters: Unicode code points, so an emoji counts once. */
    public static int characters(String text) {
        return text.codePointCount(0, text.length());
    }

    /** @throws SeException VALIDATION_ERROR if the description is too long; null (absent) passes */
    public static void checkDescription(String description) {
        if (description != null && characters(description) > MAX_DESCRIPTION_CHARS) {
            throw invalid("description must be at most " + MAX_DESCRIPTION_CHARS + " characters");
        }
    }

    /** @throws SeException VALIDATION_ERROR unless the tags respect count, length and total size; null passes */
    public static void checkTags(List<String> tags) {
        if (tags == null) {
            return;
        }
        if (tags.size() > MAX_TAGS) {
            throw invalid("at most " + MAX_TAGS + " tags are allowed");
        }
        long totalBytes = 0;
        for (String tag : tags) {
            if (tag == null) {
                throw invalid("tags must be strings");
            }
            if (tag.isEmpty() || characters(tag) > MAX_TAG_CHARS) {
                throw invalid("each tag must have 1 to " + MAX_TAG_CHARS + " characters");
            }
            totalBytes += tag.getBytes(StandardCharsets.UTF_8).length;
        }
        if (totalBytes > MAX_TAGS_TOTAL_BYTES) {
            throw invalid("all tags together must be at most " + MAX_TAGS_TOTAL_BYTES + " bytes of UTF-8");
        }
    }

    /**
     * A stored content type is sent back as a response header on every download, so it must be a header-safe
     * media type. The message never echoes the value (it may hold control characters).
     *
     * @throws SeException VALIDATION_ERROR unless it is an RFC 9110 media type of at most 255 characters
     */
    public static void checkContentType(String contentType) {
        if (characters(contentType) > MAX_CONTENT_TYPE_CHARS) {
            throw invalid("the file part's Content-Type must be at most " + MAX_CONTENT_TYPE_CHARS
                    + " characters");
        }
        if (!MEDIA_TYPE.matcher(contentType).matches()) {
            throw invalid("the file part's Content-Type must be a media type such as 'text/plain; charset=utf-8'"
                    + " (type/subtype with optional parameters, printable ASCII only)");
        }
    }

    private static SeException invalid(String message) {
        return new SeException(ErrorCode.VALIDATION_ERROR, message);
    }
}
