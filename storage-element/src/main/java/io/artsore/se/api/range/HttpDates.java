package io.artsore.se.api.range;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;

/**
 * HTTP-date in the IMF-fixdate form (RFC 9110 §5.6.7), e.g. {@code Sun, 06 Nov 1994 08:49:37 GMT}.
 * Only IMF-fixdate is parsed; the obsolete RFC 850 and asctime forms are treated as unparseable, which every
 * caller handles safely (a conditional that cannot be evaluated falls back to the full response).
 */
public final class HttpDates {
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private HttpDates() {
    }

    /** Formats the instant (truncated to whole seconds) as IMF-fixdate. */
    public static String format(Instant instant) {
        return IMF_FIXDATE.format(instant);
    }

    /** Parses an IMF-fixdate; empty when null or not a valid IMF-fixdate. Never throws. */
    public static Optional<Instant> parse(String value) {
        if (value == null || value.length() != 29) {
            return Optional.empty();
        }
        try {
            return Optional.of(IMF_FIXDATE.parse(value, Instant::from));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }
}
