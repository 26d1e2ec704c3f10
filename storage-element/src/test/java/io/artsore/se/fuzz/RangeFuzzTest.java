package io.artsore.se.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.artsore.se.api.range.RangeRequest;
import io.artsore.se.api.range.RangeResult;
import io.artsore.se.testing.RandomInputs;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Hostile {@code Range} headers: never an exception, and a partial answer always lies inside the file. */
class RangeFuzzTest {
    private static final long MAX_SIZE = Long.MAX_VALUE / 2;
    private static final String[] ODD_NUMBERS = {"", " ", "-", "+1", "0x10", "1e3"};
    private static final String[] DASHES = {"-", "--", "", " - "};
    private static final String[] SEPARATORS = {",", ", ", ",,"};
    private static final String[] UNITS = {"bytes=", "BYTES =", "bytes", "items=", "=", ""};

    private record HeaderAndSize(String header, long size) {
    }

    @Test
    void anyHeaderGivesAWellFormedResult() {
        RandomInputs.forAll(edgeCases(), 5000,
                random -> new HeaderAndSize(range(random), RandomInputs.longIn(random, 0, MAX_SIZE)), c -> {
                    long size = c.size();
                    RangeResult result = RangeRequest.evaluate(c.header(), size);
                    if (result instanceof RangeResult.Partial p) {
                        assertThat(p.start()).isBetween(0L, size - 1);
                        assertThat(p.end()).isBetween(p.start(), size - 1);
                        assertThat(p.contentRange()).doesNotContain("\r").doesNotContain("\n").startsWith("bytes ");
                    } else if (result instanceof RangeResult.NotSatisfiable n) {
                        assertThat(n.contentRange()).isEqualTo("bytes */" + size);
                    }
                });
    }

    /** Headers at the ends of what a parser must handle, each against an empty, a tiny and the largest file. */
    private static List<HeaderAndSize> edgeCases() {
        List<String> headers = List.of("", "bytes=", "bytes=0-0", "bytes=0-", "bytes=-0", "bytes=-1", "bytes=1-0",
                "bytes=0-1,2-3", "bytes=" + Long.MAX_VALUE + "-", "bytes=-" + Long.MAX_VALUE,
                "bytes=0-" + Long.MAX_VALUE, "bytes=99999999999999999999-", "bytes=--1", "bytes=,,", "bytes= - ");
        List<HeaderAndSize> cases = new ArrayList<>();
        for (String header : headers) {
            for (long size : new long[] {0, 1, MAX_SIZE}) {
                cases.add(new HeaderAndSize(header, size));
            }
        }
        return cases;
    }

    /** Half the time a unit followed by up to six range specs, otherwise any string of up to 100 chars. */
    private static String range(Random random) {
        if (random.nextBoolean()) {
            return RandomInputs.anyString(random, 100);
        }
        List<String> specs = new ArrayList<>();
        for (int i = RandomInputs.length(random, 0, 6); i > 0; i--) {
            specs.add(number(random) + RandomInputs.oneOf(random, DASHES) + number(random));
        }
        return RandomInputs.oneOf(random, UNITS) + String.join(RandomInputs.oneOf(random, SEPARATORS), specs);
    }

    /** Any long, a run of up to 40 digits, or an almost-number, a third each. */
    private static String number(Random random) {
        return switch (random.nextInt(3)) {
            case 0 -> String.valueOf(RandomInputs.longIn(random, Long.MIN_VALUE, Long.MAX_VALUE));
            case 1 -> RandomInputs.string(random, '0', '9', 0, 40);
            default -> RandomInputs.oneOf(random, ODD_NUMBERS);
        };
    }
}
