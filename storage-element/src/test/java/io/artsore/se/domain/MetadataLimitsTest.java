package io.artsore.se.domain;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class MetadataLimitsTest {
    private static final String EMOJI = "\uD83D\uDE00";

    @ParameterizedTest
    @ValueSource(strings = {"text/plain", "application/octet-stream", "text/plain;charset=utf-8",
        "text/plain ; charset=utf-8", "text/plain;", "text/plain; a=b; c=\"d e;f\"", "multipart/x; q=\"a\\\"b\"",
        "application/vnd.ms-excel", "image/svg+xml", "A/B", "x-!#$%&'*+.^_`|~/y"})
    void mediaTypesAreAccepted(String type) {
        assertThatCode(() -> MetadataLimits.checkContentType(type)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "text", "text/", "/plain", "text/plain/x", "text /plain", "text/plain x",
        "text/plain; charset", "text/plain; =x", "text/plain; a=\"unterminated", "text/plain; a=b c",
        "text/plain;\tcharset=utf-8", "text/plain\u0001", "text/plain\u007f", "text/pl\u00e4in",
        "text/plain\r\nX-Injected: 1", "text/plain; a=\"\u0000\"", " text/plain", "text/plain\u2028"})
    void nonMediaTypesAreRefused(String type) {
        assertThatThrownBy(() -> MetadataLimits.checkContentType(type)).isInstanceOf(SeException.class)
                .hasMessageContaining("media type");
    }

    @Test
    void contentTypeLengthIsBounded() {
        String at = "a/" + "b".repeat(253);
        assertThatCode(() -> MetadataLimits.checkContentType(at)).doesNotThrowAnyException();
        assertThatThrownBy(() -> MetadataLimits.checkContentType(at + "b")).hasMessageContaining("255");
    }

    @Test
    void descriptionCountsCodePoints() {
        assertThatCode(() -> MetadataLimits.checkDescription(EMOJI.repeat(1000))).doesNotThrowAnyException();
        assertThatThrownBy(() -> MetadataLimits.checkDescription(EMOJI.repeat(1001))).hasMessageContaining("1000");
        assertThatCode(() -> MetadataLimits.checkDescription(null)).doesNotThrowAnyException();
    }

    @Test
    void tagsAreBoundedInCountLengthAndTotal() {
        assertThatCode(() -> MetadataLimits.checkTags(List.of(EMOJI.repeat(256)))).doesNotThrowAnyException();
        assertThatThrownBy(() -> MetadataLimits.checkTags(List.of(EMOJI.repeat(257)))).hasMessageContaining("256");
        assertThatThrownBy(() -> MetadataLimits.checkTags(List.of(""))).hasMessageContaining("1 to 256");
        assertThatThrownBy(() -> MetadataLimits.checkTags(Collections.nCopies(101, "t")))
                .hasMessageContaining("100 tags");
        assertThatCode(() -> MetadataLimits.checkTags(Collections.nCopies(16, "t".repeat(256))))
                .doesNotThrowAnyException();
        // 4 KiB of UTF-8: 16 tags of 256 ASCII pass, one more byte does not; 2-byte letters count twice.
        assertThatThrownBy(() -> MetadataLimits.checkTags(withExtra(Collections.nCopies(16, "t".repeat(256)), "u")))
                .hasMessageContaining("4096 bytes");
        assertThatThrownBy(() -> MetadataLimits.checkTags(Collections.nCopies(9, "\u0436".repeat(256))))
                .hasMessageContaining("4096 bytes");
    }

    private static List<String> withExtra(List<String> tags, String extra) {
        List<String> all = new java.util.ArrayList<>(tags);
        all.add(extra);
        return all;
    }
}
