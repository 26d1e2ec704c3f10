package io.artsore.se.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.artsore.se.api.multipart.MultipartException;
import io.artsore.se.api.multipart.MultipartReader;
import io.artsore.se.api.multipart.Part;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Hostile multipart bodies and Content-Type headers: the reader either yields parts or throws
 * {@link MultipartException} (a 400), never anything else, and never reads past its limits.
 */
class MultipartFuzzTest {
    private static final String BOUNDARY = "fuzz-b0undary";
    private static final byte[] VALID = ("preamble\r\n--" + BOUNDARY + "\r\n"
            + "Content-Disposition: form-data; name=\"description\"\r\n\r\nhello\r\n--" + BOUNDARY + "\r\n"
            + "Content-Disposition: form-data; name=\"file\"; filename=\"a b.txt\"\r\n"
            + "Content-Type: text/plain\r\n\r\nline one\r\nline two\r\n--" + BOUNDARY + "--\r\nepilogue")
            .getBytes(StandardCharsets.UTF_8);

    @Property(tries = 3000)
    void mutatedBodiesOnlyEverFailWithMultipartException(@ForAll long seed, @ForAll @IntRange(min = 1, max = 8) int rounds)
            throws Exception {
        readAllOrRejected(Mutations.mutate(VALID, seed, rounds));
    }

    @Property(tries = 1000)
    void randomBodiesOnlyEverFailWithMultipartException(@ForAll byte[] body) throws Exception {
        readAllOrRejected(body);
    }

    @Property(tries = 2000)
    void contentTypeHeadersOnlyEverFailWithMultipartException(@ForAll("contentTypes") String header) {
        try {
            String boundary = MultipartReader.boundaryOf(header);
            assertThat(boundary).isNotEmpty().hasSizeLessThanOrEqualTo(70);
        } catch (MultipartException expected) {
            // a 400
        }
    }

    @Provide
    Arbitrary<String> contentTypes() {
        Arbitrary<String> wild = Arbitraries.strings().ofMaxLength(200);
        Arbitrary<String> params = Arbitraries.strings().withCharRange(' ', '~').withChars('\t', '\r', '\n', '\0', 'é')
                .ofMaxLength(120).map(p -> "multipart/form-data; " + p);
        Arbitrary<String> quoted = Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(90)
                .map(b -> "multipart/form-data; boundary=\"" + b + "\"");
        return Arbitraries.oneOf(wild, params, quoted);
    }

    private static void readAllOrRejected(byte[] body) throws Exception {
        try {
            MultipartReader reader = new MultipartReader(new ByteArrayInputStream(body), BOUNDARY,
                    MultipartReader.Limits.DEFAULT);
            long total = 0;
            for (Optional<Part> part = reader.next(); part.isPresent(); part = reader.next()) {
                part.get().name();
                part.get().filename();
                total += part.get().body().readAllBytes().length;
            }
            assertThat(total).isLessThanOrEqualTo(body.length);
        } catch (MultipartException expected) {
            // malformed: a 400 VALIDATION_ERROR
        }
    }
}
