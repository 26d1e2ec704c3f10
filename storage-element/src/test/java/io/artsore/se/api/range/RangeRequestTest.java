package io.artsore.se.api.range;

import static org.assertj.core.api.Assertions.assertThat;

import io.artsore.se.api.range.RangeResult.Full;
import io.artsore.se.api.range.RangeResult.NotSatisfiable;
import io.artsore.se.api.range.RangeResult.Partial;
import io.artsore.se.testing.RandomInputs;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RangeRequestTest {

    @Test
    void singleRangesAreResolvedAndClamped() {
        assertThat(RangeRequest.evaluate("bytes=0-499", 1000)).isEqualTo(new Partial(0, 499, 1000));
        assertThat(RangeRequest.evaluate("bytes=500-", 1000)).isEqualTo(new Partial(500, 999, 1000));
        assertThat(RangeRequest.evaluate("bytes=-100", 1000)).isEqualTo(new Partial(900, 999, 1000));
        assertThat(RangeRequest.evaluate("bytes=-5000", 1000)).isEqualTo(new Partial(0, 999, 1000));
        assertThat(RangeRequest.evaluate("bytes=990-5000", 1000)).isEqualTo(new Partial(990, 999, 1000));
        assertThat(RangeRequest.evaluate("bytes=999-999", 1000)).isEqualTo(new Partial(999, 999, 1000));
        assertThat(RangeRequest.evaluate(" Bytes = 1-2 ", 10)).isEqualTo(new Partial(1, 2, 10));
        assertThat(RangeRequest.evaluate("bytes=0-99999999999999999999999", 10)).isEqualTo(new Partial(0, 9, 10));
        assertThat(RangeRequest.evaluate("bytes=-99999999999999999999999", 10)).isEqualTo(new Partial(0, 9, 10));
        assertThat(((Partial) RangeRequest.evaluate("bytes=10-19", 100)).contentRange()).isEqualTo("bytes 10-19/100");
        assertThat(((Partial) RangeRequest.evaluate("bytes=10-19", 100)).length()).isEqualTo(10);
    }

    @Test
    void noRangeOrAnUnknownUnitMeansTheWholeFile() {
        assertThat(RangeRequest.evaluate(null, 10)).isEqualTo(new Full());
        assertThat(RangeRequest.evaluate("items=0-1", 10)).isEqualTo(new Full());
    }

    @Test
    void multiRangeIsAnsweredWithTheWholeFileUnlessNothingIsSatisfiable() {
        assertThat(RangeRequest.evaluate("bytes=0-1,5-6", 10)).isEqualTo(new Full());
        assertThat(RangeRequest.evaluate("bytes=0-1, 50-60", 10)).isEqualTo(new Full());
        assertThat(RangeRequest.evaluate("bytes=20-30,50-60", 10)).isInstanceOf(NotSatisfiable.class);
        assertThat(RangeRequest.evaluate("bytes=0-1,x", 10)).isInstanceOf(NotSatisfiable.class);
        assertThat(RangeRequest.evaluate("bytes=,0-1,", 10)).isEqualTo(new Partial(0, 1, 10));
    }

    @Test
    void unsatisfiableAndMalformedRangesAre416() {
        for (String bad : new String[] {"bytes=10-", "bytes=10-20", "bytes=-0", "bytes=5-4", "bytes=a-b",
                "bytes=1-2-3", "bytes=", "bytes=,", "bytes", "bytes=0x1-2", "bytes=-", "bytes=١-٢", "bytes=+1-2"}) {
            RangeResult result = RangeRequest.evaluate(bad, 10);
            assertThat(result).as(bad).isInstanceOf(NotSatisfiable.class);
            assertThat(((NotSatisfiable) result).contentRange()).isEqualTo("bytes */10");
        }
        assertThat(RangeRequest.evaluate("bytes=0-", 0)).isInstanceOf(NotSatisfiable.class);
        assertThat(RangeRequest.evaluate("bytes=-1", 0)).isInstanceOf(NotSatisfiable.class);
    }

    private static final int TRIES = 1000;
    /** Sizes near the ends of the 0..60 range the RFC model properties draw from. */
    private static final List<Long> MODEL_SIZE_EDGES = List.of(0L, 1L, 2L, 59L, 60L);

    record HeaderAndSize(String header, long size) {
    }

    @Test
    void neverThrowsAndPartialsStayInBounds() {
        List<String> headers = List.of("", "bytes=", "bytes=0-", "bytes=-1", "bytes=0-0", "bytes=1000-",
                "bytes=-1000", "bytes=999-1000", "bytes=0-" + Long.MAX_VALUE, "bytes=-" + Long.MAX_VALUE + "0",
                "bytes=\u0661-\u0662", "bytes=\ud800-1");
        RandomInputs.forAll(crossed(headers, List.of(0L, 1L, 999L, 1000L)), TRIES,
                random -> new HeaderAndSize(RandomInputs.anyString(random), RandomInputs.longIn(random, 0, 1000)),
                c -> {
                    RangeResult result = RangeRequest.evaluate(c.header(), c.size());
                    if (result instanceof Partial p) {
                        assertThat(p.start()).isBetween(0L, p.end());
                        assertThat(p.end()).isLessThan(c.size());
                    }
                });
    }

    @Test
    void neverThrowsOnByteRangeLookalikes() {
        List<String> specs = List.of("", "-", "--", ",", "0", "0-", "-0", "0-0", "00-00", " - ", "1-0", "50-",
                "-50", "51-", "0-1,", ",0-1", "99999999999999999999-", "-99999999999999999999");
        RandomInputs.forAll(crossed(specs, List.of(0L, 1L, 49L, 50L)), TRIES,
                random -> new HeaderAndSize(RandomInputs.string(random, "0123456789-, ", 0, 20),
                        RandomInputs.longIn(random, 0, 50)),
                c -> assertThat(RangeRequest.evaluate("bytes=" + c.header(), c.size())).isNotNull());
    }

    private static List<HeaderAndSize> crossed(List<String> headers, List<Long> sizes) {
        return headers.stream().flatMap(h -> sizes.stream().map(size -> new HeaderAndSize(h, size))).toList();
    }

    record FirstLast(long first, long last, long size) {
        static FirstLast random(Random random) {
            return new FirstLast(RandomInputs.longIn(random, 0, 100), RandomInputs.longIn(random, 0, 100),
                    RandomInputs.longIn(random, 0, 60));
        }
    }

    @Test
    void firstLastRangesMatchTheRfcModel() {
        // Range ends, plus the boundaries that matter relative to the size: first/last at size-1, size, size+1.
        List<Long> ends = List.of(0L, 1L, 99L, 100L);
        List<FirstLast> edges = new ArrayList<>();
        for (long size : MODEL_SIZE_EDGES) {
            for (long first : ends) {
                for (long last : ends) {
                    edges.add(new FirstLast(first, last, size));
                }
            }
            for (long first = Math.max(0, size - 1); first <= size + 1; first++) {
                for (long last = Math.max(0, size - 1); last <= size + 1; last++) {
                    edges.add(new FirstLast(first, last, size));
                }
            }
        }
        RandomInputs.forAll(edges, TRIES, FirstLast::random, c -> {
            RangeResult result = RangeRequest.evaluate("bytes=" + c.first() + "-" + c.last(), c.size());
            if (c.last() < c.first() || c.first() >= c.size()) {
                assertThat(result).isInstanceOf(NotSatisfiable.class);
            } else {
                assertThat(result).isEqualTo(new Partial(c.first(), Math.min(c.last(), c.size() - 1), c.size()));
            }
        });
    }

    record SuffixAndSize(long suffix, long size) {
    }

    @Test
    void suffixRangesMatchTheRfcModel() {
        List<SuffixAndSize> edges = new ArrayList<>();
        for (long size : MODEL_SIZE_EDGES) {
            for (long suffix : List.of(0L, 1L, 99L, 100L, Math.max(0, size - 1), size, size + 1)) {
                edges.add(new SuffixAndSize(suffix, size));
            }
        }
        RandomInputs.forAll(edges, TRIES,
                random -> new SuffixAndSize(RandomInputs.longIn(random, 0, 100), RandomInputs.longIn(random, 0, 60)),
                c -> {
                    RangeResult result = RangeRequest.evaluate("bytes=-" + c.suffix(), c.size());
                    if (c.suffix() == 0 || c.size() == 0) {
                        assertThat(result).isInstanceOf(NotSatisfiable.class);
                    } else {
                        long start = Math.max(0, c.size() - c.suffix());
                        assertThat(result).isEqualTo(new Partial(start, c.size() - 1, c.size()));
                    }
                });
    }
}
