package io.artsore.e2e.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void emptyHistogramReportsZero() {
        LatencyHistogram h = new LatencyHistogram();
        assertThat(h.count()).isZero();
        assertThat(h.percentileMicros(0.99)).isZero();
    }

    @Test
    void smallValuesAreExact() {
        LatencyHistogram h = new LatencyHistogram();
        for (int v = 1; v <= 50; v++) {
            h.recordMicros(v);
        }
        assertThat(h.percentileMicros(0.5)).isEqualTo(25);
        assertThat(h.percentileMicros(1.0)).isEqualTo(50);
        assertThat(h.maxMicros()).isEqualTo(50);
    }

    @Test
    void percentilesOfAUniformSpreadAreWithinThreePercent() {
        LatencyHistogram h = new LatencyHistogram();
        for (int v = 1; v <= 100_000; v++) {
            h.recordMicros(v);
        }
        assertThat(h.count()).isEqualTo(100_000);
        assertThat(h.percentileMicros(0.50)).isBetween(50_000L, 51_500L);
        assertThat(h.percentileMicros(0.90)).isBetween(90_000L, 92_700L);
        assertThat(h.percentileMicros(0.99)).isBetween(99_000L, 100_000L);
        assertThat(h.maxMicros()).isEqualTo(100_000);
    }

    @Test
    void everyValueFallsIntoABucketWhoseUpperBoundCoversIt() {
        long[] samples = {0, 63, 64, 65, 127, 128, 1_000, 65_535, 1L << 40, Long.MAX_VALUE};
        for (long v : samples) {
            int bucket = LatencyHistogram.bucketOf(v);
            assertThat(LatencyHistogram.upperBoundOf(bucket)).as("upper bound for %d", v).isGreaterThanOrEqualTo(v);
            if (bucket > 0) {
                assertThat(LatencyHistogram.upperBoundOf(bucket - 1)).as("previous bucket for %d", v).isLessThan(v);
            }
        }
    }

    @Test
    void outlierShowsAsMaxWithoutMovingTheMedian() {
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 0; i < 999; i++) {
            h.recordMicros(1_000);
        }
        h.recordMicros(5_000_000);
        assertThat(h.percentileMicros(0.5)).isBetween(1_000L, 1_031L);
        assertThat(h.maxMicros()).isEqualTo(5_000_000);
        assertThat(h.percentileMicros(1.0)).isEqualTo(5_000_000);
    }
}
