package io.artsore.se.api.range;

import static org.assertj.core.api.Assertions.assertThat;

import io.artsore.se.testing.RandomInputs;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.TextStyle;
import java.util.List;
import java.util.Locale;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HeaderHelpersTest {
    private static final String ETAG = Conditionals.strongEtag("abc123");
    private static final Instant MODIFIED = Instant.parse("1994-11-06T08:49:37.250Z");
    private static final Clock CLOCK = clockIn(2026);
    /** 9999-12-31T23:59:59Z, the last instant IMF-fixdate can write. */
    private static final long MAX_EPOCH_SECOND = 253_402_300_799L;
    private static final int TRIES = 1000;
    /** Header values worth trying every run: empty, blank, CR/LF, quotes, lone surrogates, near-valid syntax. */
    private static final List<String> EDGE_STRINGS = List.of("", " ", "\t", "\r\n", "\0", "\"", "\"\"", "\\", "*",
            "W/", "W/\"", "%", "\ud800", "\udc00", "😀", "\u202e", ",", ", ,", "\"a\", W/\"b\"", "a\rb", "a\nb",
            "Sun, 06 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 GM", "Sun, 31 Dec 9999 23:59:59 GMT",
            "Fri, 01 Jan 10000 00:00:00 GMT", "Sun, 99 Nov 1994 99:99:99 GMT");

    private static void forAnyString(RandomInputs.Check<String> property) {
        RandomInputs.forAll(EDGE_STRINGS, TRIES, RandomInputs::anyString, property);
    }

    @Test
    void formatsImfFixdateWithATwoDigitDay() {
        assertThat(HttpDates.format(MODIFIED)).isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
        assertThat(HttpDates.format(Instant.parse("2026-12-04T00:00:00Z"))).isEqualTo("Fri, 04 Dec 2026 00:00:00 GMT");
    }

    /** RFC 9110 §5.6.7: a recipient must accept IMF-fixdate, RFC 850 and asctime; the example date in each. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"Sun, 06 Nov 1994 08:49:37 GMT", "Sun, 6 Nov 1994 08:49:37 GMT",
        "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994", "Sun Nov 6 08:49:37 1994",
        "Sun Nov 06 08:49:37 1994"})
    void parsesEveryHttpDateForm(String value) {
        assertThat(HttpDates.parse(value, clockIn(2026))).contains(Instant.parse("1994-11-06T08:49:37Z"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"Mon, 06 Nov 1994 08:49:37 GMT", "Monday, 06-Nov-94 08:49:37 GMT",
        "Mon Nov  6 08:49:37 1994", "Sun, 31 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 24:00:00 GMT",
        "Sun, 06 Nov 1994 08:60:00 GMT", "Sun, 06 Nov 1994 08:49:61 GMT", "sun, 06 nov 1994 08:49:37 gmt",
        "Sun, 06 Nov 1994 08:49:37 UTC", "Sun, 06 Nov 1994 08:49:37 +0000", "Sun, 006 Nov 1994 08:49:37 GMT",
        "Sun,  6 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 94 08:49:37 GMT", "Sun, 06-Nov-94 08:49:37 GMT",
        "Sunday, 06-Nov-1994 08:49:37 GMT", "Sunday, 6-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 94",
        "Sun Nov   6 08:49:37 1994", " Sun, 06 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 GMT ",
        "Sun, 06 Nov 1994 8:49:37 GMT", "Sun, 06 Nov 1994 08:49:37", "1994-11-06T08:49:37Z", "784111777",
        "Sun, 06 Nov 1994 08:49:37 GMT\r\n", "Sun, 06 Nov 1994 08:49:37 GMT, Mon, 07 Nov 1994 08:49:37 GMT"})
    void refusesMalformedOrInconsistentDates(String value) {
        assertThat(HttpDates.parse(value, clockIn(2026))).isEmpty();
    }

    @Test
    void acceptsALeapSecondAsTheLastSecondOfItsMinute() {
        assertThat(HttpDates.parse("Sat, 31 Dec 2016 23:59:60 GMT"))
                .contains(Instant.parse("2016-12-31T23:59:59Z"));
    }

    @Test
    void refusesNullAndOverlongValues() {
        assertThat(HttpDates.parse(null)).isEmpty();
        assertThat(HttpDates.parse("Sun, 06 Nov 1994 08:49:37 GMT" + " ".repeat(100_000))).isEmpty();
    }

    /** RFC 9110: a two-digit year more than 50 years ahead is the most recent past year with those digits. */
    @ParameterizedTest(name = "{1} seen in {0} -> {2}")
    @CsvSource({"2026, 76, 2076", "2026, 77, 1977", "2026, 26, 2026", "2026, 00, 2000", "2026, 99, 1999",
        "2099, 49, 2149", "2099, 50, 2050", "2100, 50, 2150", "2100, 51, 2051", "1994, 44, 2044", "1994, 45, 1945"})
    void placesRfc850TwoDigitYearsWithinFiftyYears(int thisYear, String twoDigits, int expectedYear) {
        LocalDate date = LocalDate.of(expectedYear, 1, 1);
        String dayName = date.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.US);
        assertThat(HttpDates.parse(dayName + ", 01-Jan-" + twoDigits + " 00:00:00 GMT", clockIn(thisYear)))
                .contains(date.atStartOfDay(ZoneOffset.UTC).toInstant());
    }

    /** The parse must not follow the JVM's default locale or time zone (CI runs under odd ones). */
    @Test
    void parsingAndFormattingIgnoreTheDefaultLocaleAndZone() {
        Locale locale = Locale.getDefault();
        TimeZone zone = TimeZone.getDefault();
        try {
            Locale.setDefault(Locale.forLanguageTag("tr-TR"));
            TimeZone.setDefault(TimeZone.getTimeZone("Asia/Kathmandu"));
            assertThat(HttpDates.format(MODIFIED)).isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
            assertThat(HttpDates.parse("Sun Nov  6 08:49:37 1994")).contains(Instant.parse("1994-11-06T08:49:37Z"));
        } finally {
            Locale.setDefault(locale);
            TimeZone.setDefault(zone);
        }
    }

    private static boolean ifRange(String header) {
        return Conditionals.ifRangeAllowsPartial(header, ETAG, MODIFIED, CLOCK);
    }

    private static Clock clockIn(int year) {
        return Clock.fixed(Instant.parse(year + "-06-15T12:00:00Z"), ZoneOffset.UTC);
    }

    @Test
    void httpDatesRoundTripToTheSecond() {
        RandomInputs.forAll(List.of(0L, 1L, 951_782_400L /* 2000-02-29 */, MAX_EPOCH_SECOND - 1, MAX_EPOCH_SECOND),
                TRIES, random -> RandomInputs.longIn(random, 0, MAX_EPOCH_SECOND), epochSecond -> {
                    Instant instant = Instant.ofEpochSecond(epochSecond);
                    assertThat(HttpDates.parse(HttpDates.format(instant))).contains(instant);
                });
    }

    @Test
    void httpDateParsingNeverThrows() {
        forAnyString(value -> assertThat(HttpDates.parse(value)).isNotNull());
    }

    @Test
    void ifRangeNeedsAStrongMatchOrTheExactLastModified() {
        assertThat(ifRange(null)).isTrue();
        assertThat(ifRange("\"abc123\"")).isTrue();
        assertThat(ifRange("W/\"abc123\"")).isFalse();
        assertThat(ifRange("\"other\"")).isFalse();
        assertThat(ifRange("Sun, 06 Nov 1994 08:49:37 GMT")).isTrue();
        assertThat(ifRange("Sun, 06 Nov 1994 08:49:38 GMT")).isFalse();
        assertThat(ifRange("garbage")).isFalse();
        assertThat(ifRange("Sunday, 06-Nov-94 08:49:37 GMT")).isTrue();
        assertThat(ifRange("Sun Nov  6 08:49:37 1994")).isTrue();
        assertThat(ifRange("Sun, 6 Nov 1994 08:49:37 GMT")).isTrue();
    }

    @Test
    void ifNoneMatchUsesWeakComparison() {
        assertThat(Conditionals.ifNoneMatchMatches(null, ETAG)).isFalse();
        assertThat(Conditionals.ifNoneMatchMatches("*", ETAG)).isTrue();
        assertThat(Conditionals.ifNoneMatchMatches("\"abc123\"", ETAG)).isTrue();
        assertThat(Conditionals.ifNoneMatchMatches("\"x\", W/\"abc123\"", ETAG)).isTrue();
        assertThat(Conditionals.ifNoneMatchMatches("\"x\",\"y\"", ETAG)).isFalse();
        assertThat(Conditionals.ifNoneMatchMatches("abc123", ETAG)).isFalse();
        assertThat(Conditionals.ifNoneMatchMatches("\"abc123", ETAG)).isFalse();
    }

    @Test
    void conditionalsNeverThrow() {
        forAnyString(header -> {
            Conditionals.ifNoneMatchMatches(header, ETAG);
            ifRange(header);
        });
    }

    @Test
    void contentDispositionKeepsAsciiNamesAndEncodesTheRest() {
        assertThat(ContentDisposition.attachment("report.pdf")).isEqualTo("attachment; filename=\"report.pdf\"");
        assertThat(ContentDisposition.attachment("отчёт 2024.pdf"))
                .isEqualTo("attachment; filename=\"_____ 2024.pdf\"; filename*=UTF-8''%D0%BE%D1%82%D1%87%D1%91%D1%82%202024.pdf");
        assertThat(ContentDisposition.attachment("a\"b\\c\r\nSet-Cookie: x=1.txt"))
                .isEqualTo("attachment; filename=\"a_b_c__Set-Cookie: x=1.txt\"; "
                        + "filename*=UTF-8''a%22b%5Cc%0D%0ASet-Cookie%3A%20x%3D1.txt");
        assertThat(ContentDisposition.attachment(null)).isEqualTo("attachment; filename=\"download\"");
        assertThat(ContentDisposition.attachment("  ")).isEqualTo("attachment; filename=\"download\"");
    }

    @Test
    void contentDispositionIsHeaderSafeAndCarriesTheExactName() {
        forAnyString(HeaderHelpersTest::assertHeaderSafeAndExact);
    }

    private static void assertHeaderSafeAndExact(String name) {
        String value = ContentDisposition.attachment(name);
        assertThat(value.chars()).allMatch(c -> c >= 0x20 && c < 0x7f);
        String quoted = value.substring(value.indexOf('"') + 1, value.indexOf('"', value.indexOf('"') + 1));
        assertThat(quoted).doesNotContain("\\");
        int star = value.indexOf("filename*=UTF-8''");
        if (star >= 0) {
            String encoded = value.substring(star + "filename*=UTF-8''".length());
            assertThat(encoded).matches("[A-Za-z0-9!#$&+\\-.^_`|~%]*");
            String decoded = URLDecoder.decode(encoded.replace("+", "%2B"), StandardCharsets.UTF_8);
            String expected = new String(name.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
            assertThat(decoded).isEqualTo(expected);
        } else if (!name.isBlank()) {
            assertThat(quoted).isEqualTo(name);
        }
    }
}
