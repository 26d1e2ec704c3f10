package io.artsore.se.api.range;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Evaluation of the conditional request headers a download needs (RFC 9110 §13). */
public final class Conditionals {
    private Conditionals() {
    }

    /** The strong entity tag for a content checksum: the checksum in double quotes. */
    public static String strongEtag(String checksum) {
        return "\"" + checksum + "\"";
    }

    /**
     * {@code If-None-Match} (weak comparison, §13.1.2): true when the header is {@code *} or lists a tag whose
     * opaque part equals the one of {@code etag}; then a GET answers 304. A malformed list never matches.
     */
    public static boolean ifNoneMatchMatches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        String header = ifNoneMatch.strip();
        if (header.equals("*")) {
            return true;
        }
        String wanted = opaque(etag);
        int i = 0;
        while (i < header.length()) {
            char c = header.charAt(i);
            if (c == ',' || c == ' ' || c == '\t') {
                i++;
                continue;
            }
            if (header.startsWith("W/", i)) {
                i += 2;
            }
            if (i >= header.length() || header.charAt(i) != '"') {
                return false;
            }
            int close = header.indexOf('"', i + 1);
            if (close < 0) {
                return false;
            }
            if (header.substring(i, close + 1).equals(wanted)) {
                return true;
            }
            i = close + 1;
        }
        return false;
    }

    /**
     * {@code If-Range} (§13.1.5): true when a Range may be honoured, i.e. there is no If-Range, or it is a
     * strong ETag equal to {@code etag}, or an HTTP-date equal to {@code lastModified} (to the second).
     * A weak or different tag, another date or anything unparseable is false: send the full representation.
     * {@code clock} places a two-digit year (see {@link HttpDates#parse(String, Clock)}).
     */
    public static boolean ifRangeAllowsPartial(String ifRange, String etag, Instant lastModified, Clock clock) {
        if (ifRange == null) {
            return true;
        }
        String value = ifRange.strip();
        if (value.startsWith("W/")) {
            return false;
        }
        if (value.startsWith("\"")) {
            return value.equals(etag);
        }
        return HttpDates.parse(value, clock)
                .map(date -> date.equals(lastModified.truncatedTo(ChronoUnit.SECONDS)))
                .orElse(false);
    }

    private static String opaque(String etag) {
        return etag.startsWith("W/") ? etag.substring(2) : etag;
    }
}
