package io.artsore.se.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {
    @Test
    void everyUnitParses() {
        assertThat(Durations.parse("500ms")).contains(Duration.ofMillis(500));
        assertThat(Durations.parse("30s")).contains(Duration.ofSeconds(30));
        assertThat(Durations.parse("15m")).contains(Duration.ofMinutes(15));
        assertThat(Durations.parse("24h")).contains(Duration.ofHours(24));
        assertThat(Durations.parse("7d")).contains(Duration.ofDays(7));
        assertThat(Durations.parse("0s")).contains(Duration.ZERO);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "s", "10", "10 s", " 10s", "10S", "1.5h", "-1s", "+1s", "1h30m", "10us",
            "9999999999999d"})
    void malformedDurationsAreRejected(String text) {
        assertThat(Durations.parse(text)).isEmpty();
    }
}
