package io.artsore.se.api.range;

import static org.assertj.core.api.Assertions.assertThat;

import io.artsore.se.api.range.RangeResult.Full;
import io.artsore.se.api.range.RangeResult.NotSatisfiable;
import io.artsore.se.api.range.RangeResult.Partial;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
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

    @Property
    void neverThrowsAndPartialsStayInBounds(@ForAll String header, @ForAll @LongRange(min = 0, max = 1000) long size) {
        RangeResult result = RangeRequest.evaluate(header, size);
        if (result instanceof Partial p) {
            assertThat(p.start()).isBetween(0L, p.end());
            assertThat(p.end()).isLessThan(size);
        }
    }

    @Property
    void neverThrowsOnByteRangeLookalikes(@ForAll("rangeLike") String spec, @ForAll @LongRange(min = 0, max = 50) long size) {
        assertThat(RangeRequest.evaluate("bytes=" + spec, size)).isNotNull();
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> rangeLike() {
        return net.jqwik.api.Arbitraries.strings().withChars("0123456789-, ").ofMaxLength(20);
    }

    @Property
    void firstLastRangesMatchTheRfcModel(@ForAll @LongRange(min = 0, max = 100) long first,
                                         @ForAll @LongRange(min = 0, max = 100) long last,
                                         @ForAll @LongRange(min = 0, max = 60) long size) {
        RangeResult result = RangeRequest.evaluate("bytes=" + first + "-" + last, size);
        if (last < first || first >= size) {
            assertThat(result).isInstanceOf(NotSatisfiable.class);
        } else {
            assertThat(result).isEqualTo(new Partial(first, Math.min(last, size - 1), size));
        }
    }

    @Property
    void suffixRangesMatchTheRfcModel(@ForAll @LongRange(min = 0, max = 100) long suffix,
                                      @ForAll @LongRange(min = 0, max = 60) long size) {
        RangeResult result = RangeRequest.evaluate("bytes=-" + suffix, size);
        if (suffix == 0 || size == 0) {
            assertThat(result).isInstanceOf(NotSatisfiable.class);
        } else {
            assertThat(result).isEqualTo(new Partial(Math.max(0, size - suffix), size - 1, size));
        }
    }
}
