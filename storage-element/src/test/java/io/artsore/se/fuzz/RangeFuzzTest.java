package io.artsore.se.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.artsore.se.api.range.RangeRequest;
import io.artsore.se.api.range.RangeResult;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

/** Hostile {@code Range} headers: never an exception, and a partial answer always lies inside the file. */
class RangeFuzzTest {

    @Property(tries = 5000)
    void anyHeaderGivesAWellFormedResult(@ForAll("ranges") String header,
                                         @ForAll @LongRange(min = 0, max = Long.MAX_VALUE / 2) long size) {
        RangeResult result = RangeRequest.evaluate(header, size);
        if (result instanceof RangeResult.Partial p) {
            assertThat(p.start()).isBetween(0L, size - 1);
            assertThat(p.end()).isBetween(p.start(), size - 1);
            assertThat(p.contentRange()).doesNotContain("\r").doesNotContain("\n").startsWith("bytes ");
        } else if (result instanceof RangeResult.NotSatisfiable n) {
            assertThat(n.contentRange()).isEqualTo("bytes */" + size);
        }
    }

    @Provide
    Arbitrary<String> ranges() {
        Arbitrary<String> number = Arbitraries.oneOf(Arbitraries.longs().map(String::valueOf),
                Arbitraries.strings().numeric().ofMaxLength(40), Arbitraries.of("", " ", "-", "+1", "0x10", "1e3"));
        Arbitrary<String> spec = net.jqwik.api.Combinators.combine(number, Arbitraries.of("-", "--", "", " - "), number)
                .as((a, dash, b) -> a + dash + b);
        Arbitrary<String> set = spec.list().ofMaxSize(6).map(l -> String.join(Arbitraries.of(",", ", ", ",,").sample(), l));
        Arbitrary<String> unit = Arbitraries.of("bytes=", "BYTES =", "bytes", "items=", "=", "");
        return Arbitraries.oneOf(net.jqwik.api.Combinators.combine(unit, set).as(String::concat),
                Arbitraries.strings().ofMaxLength(100));
    }
}
