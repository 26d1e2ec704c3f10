package io.artsore.se.api.range;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP-date (RFC 9110 §5.6.7). Written only as IMF-fixdate, e.g. {@code Sun, 06 Nov 1994 08:49:37 GMT}; read in
 * all three forms a recipient must accept: IMF-fixdate (also with a one-digit day, which Java's
 * {@code RFC_1123_DATE_TIME} writes), the obsolete RFC 850 form {@code Sunday, 06-Nov-94 08:49:37 GMT} and the
 * asctime form {@code Sun Nov  6 08:49:37 1994}. Names are case-sensitive as the grammar says; a day name that
 * does not match the date makes the value unparseable, and every caller treats that safely (a conditional that
 * cannot be evaluated falls back to the full response).
 */
public final class HttpDates {
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
    private static final List<String> MONTHS =
            List.of("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec");
    private static final String SHORT_DAY = "(Mon|Tue|Wed|Thu|Fri|Sat|Sun)";
    private static final String LONG_DAY = "(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)";
    private static final String MONTH = "(" + String.join("|", MONTHS) + ")";
    private static final String TIME = "(\\d{2}):(\\d{2}):(\\d{2})";
    /** Longest accepted value (RFC 850 with Wednesday); anything longer is refused before a regex sees it. */
    private static final int MAX_LENGTH = 40;
    private static final Pattern IMF = Pattern.compile(SHORT_DAY + ", (\\d{1,2}) " + MONTH + " (\\d{4}) " + TIME
            + " GMT");
    private static final Pattern RFC_850 = Pattern.compile(LONG_DAY + ", (\\d{2})-" + MONTH + "-(\\d{2}) " + TIME
            + " GMT");
    private static final Pattern ASCTIME = Pattern.compile(SHORT_DAY + " " + MONTH + " {1,2}(\\d{1,2}) " + TIME
            + " (\\d{4})");

    private HttpDates() {
    }

    /** Formats the instant (truncated to whole seconds) as IMF-fixdate. */
    public static String format(Instant instant) {
        return IMF_FIXDATE.format(instant);
    }

    /** Parses an HTTP-date in any of the accepted forms; empty when null or unparseable. Never throws. */
    public static Optional<Instant> parse(String value) {
        return parse(value, Clock.systemUTC());
    }

    /**
     * As {@link #parse(String)}; {@code clock} places an RFC 850 two-digit year within 50 years of the clock's
     * year (RFC 9110: a date that appears to be more than 50 years in the future is the most recent past year
     * with the same last two digits), so a sliding window, not a fixed century.
     */
    public static Optional<Instant> parse(String value, Clock clock) {
        if (value == null || value.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        try {
            Matcher m = IMF.matcher(value);
            if (m.matches()) {
                return at(m.group(1), Integer.parseInt(m.group(4)), m.group(3), m.group(2), m, 5);
            }
            m = RFC_850.matcher(value);
            if (m.matches()) {
                int year = fullYear(Integer.parseInt(m.group(4)), LocalDate.now(clock.withZone(ZoneOffset.UTC)));
                return at(m.group(1).substring(0, 3), year, m.group(3), m.group(2), m, 5);
            }
            m = ASCTIME.matcher(value);
            if (m.matches()) {
                return at(m.group(1), Integer.parseInt(m.group(7)), m.group(2), m.group(3), m, 4);
            }
        } catch (DateTimeException e) {
            // a day or time out of range (31 Feb, 25:00:00): unparseable, like any other malformed value
        }
        return Optional.empty();
    }

    /** The year ending in {@code twoDigits} in the window (this year - 50, this year + 50]. */
    private static int fullYear(int twoDigits, LocalDate today) {
        int thisYear = today.getYear();
        int year = thisYear - Math.floorMod(thisYear, 100) + twoDigits;
        if (year > thisYear + 50) {
            return year - 100;
        }
        return year <= thisYear - 50 ? year + 100 : year;
    }

    private static Optional<Instant> at(String dayName, int year, String month, String day, Matcher m,
            int timeGroup) {
        int second = Integer.parseInt(m.group(timeGroup + 2));
        // RFC 9110 allows second 60 (a leap second); java.time has none, so it is the last second of that minute
        LocalDateTime time = LocalDateTime.of(year, MONTHS.indexOf(month) + 1, Integer.parseInt(day),
                Integer.parseInt(m.group(timeGroup)), Integer.parseInt(m.group(timeGroup + 1)), Math.min(second, 59));
        if (second > 60 || !dayName.equals(shortName(time.getDayOfWeek()))) {
            return Optional.empty();
        }
        return Optional.of(time.toInstant(ZoneOffset.UTC));
    }

    private static String shortName(DayOfWeek day) {
        return day.getDisplayName(TextStyle.SHORT, Locale.US);
    }
}
