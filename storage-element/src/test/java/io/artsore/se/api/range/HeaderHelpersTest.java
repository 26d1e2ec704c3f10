package io.artsore.se.api.range;

import static org.assertj.core.api.Assertions.assertThat;

import io.artsore.se.testing.RandomInputs;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeaderHelpersTest {
    private static final String ETAG = Conditionals.strongEtag("abc123");
    private static final Instant MODIFIED = Instant.parse("1994-11-06T08:49:37.250Z");
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
    void formatsAndParsesImfFixdate() {
        assertThat(HttpDates.format(MODIFIED)).isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
        assertThat(HttpDates.parse("Sun, 06 Nov 1994 08:49:37 GMT")).contains(Instant.parse("1994-11-06T08:49:37Z"));
        assertThat(HttpDates.parse("Mon, 06 Nov 1994 08:49:37 GMT")).as("wrong weekday").isEmpty();
        assertThat(HttpDates.parse("Sunday, 06-Nov-94 08:49:37 GMT")).as("obsolete RFC 850").isEmpty();
        assertThat(HttpDates.parse("Sun Nov  6 08:49:37 1994")).as("obsolete asctime").isEmpty();
        assertThat(HttpDates.parse(null)).isEmpty();
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
        assertThat(Conditionals.ifRangeAllowsPartial(null, ETAG, MODIFIED)).isTrue();
        assertThat(Conditionals.ifRangeAllowsPartial("\"abc123\"", ETAG, MODIFIED)).isTrue();
        assertThat(Conditionals.ifRangeAllowsPartial("W/\"abc123\"", ETAG, MODIFIED)).isFalse();
        assertThat(Conditionals.ifRangeAllowsPartial("\"other\"", ETAG, MODIFIED)).isFalse();
        assertThat(Conditionals.ifRangeAllowsPartial("Sun, 06 Nov 1994 08:49:37 GMT", ETAG, MODIFIED)).isTrue();
        assertThat(Conditionals.ifRangeAllowsPartial("Sun, 06 Nov 1994 08:49:38 GMT", ETAG, MODIFIED)).isFalse();
        assertThat(Conditionals.ifRangeAllowsPartial("garbage", ETAG, MODIFIED)).isFalse();
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
            Conditionals.ifRangeAllowsPartial(header, ETAG, MODIFIED);
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
