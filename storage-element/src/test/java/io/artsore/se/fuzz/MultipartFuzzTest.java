package io.artsore.se.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.artsore.se.api.multipart.MultipartException;
import io.artsore.se.api.multipart.MultipartReader;
import io.artsore.se.api.multipart.Part;
import io.artsore.se.testing.RandomInputs;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

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

    private static final String MULTIPART = "multipart/form-data; ";
    /** Printable ASCII plus the characters that end or corrupt a header parameter. */
    private static final String PARAM_CHARS = printableAscii() + "\t\r\n\0\u00e9";

    @Test
    void mutatedBodiesOnlyEverFailWithMultipartException() {
        RandomInputs.forAll(Mutations.edgeCases(8), 3000, random -> Mutations.random(random, 8),
                mutation -> readAllOrRejected(mutation.apply(VALID)));
    }

    @Test
    void randomBodiesOnlyEverFailWithMultipartException() {
        List<byte[]> edgeCases = List.of(new byte[0], ("--" + BOUNDARY + "--").getBytes(StandardCharsets.UTF_8),
                ("--" + BOUNDARY + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        RandomInputs.forAll(edgeCases, 1000, random -> RandomInputs.bytes(random, 255),
                MultipartFuzzTest::readAllOrRejected);
    }

    @Test
    void contentTypeHeadersOnlyEverFailWithMultipartException() {
        List<String> edgeCases = List.of("", "multipart/form-data", MULTIPART, MULTIPART + "boundary=",
                MULTIPART + "boundary=\"\"", MULTIPART + "boundary=\"", MULTIPART + "boundary=" + "b".repeat(70),
                MULTIPART + "boundary=" + "b".repeat(71), MULTIPART + "boundary=a; boundary=b",
                MULTIPART + "boundary=\"a\\\"b\"");
        RandomInputs.forAll(edgeCases, 2000, MultipartFuzzTest::contentType, header -> {
            try {
                String boundary = MultipartReader.boundaryOf(header);
                assertThat(boundary).isNotEmpty().hasSizeLessThanOrEqualTo(70);
            } catch (MultipartException expected) {
                // a 400
            }
        });
    }

    /** Any string; random parameters after the multipart type; or a random quoted boundary, a third each. */
    private static String contentType(Random random) {
        return switch (random.nextInt(3)) {
            case 0 -> RandomInputs.anyString(random, 200);
            case 1 -> MULTIPART + RandomInputs.string(random, PARAM_CHARS, 0, 120);
            default -> MULTIPART + "boundary=\"" + RandomInputs.string(random, ' ', '~', 0, 90) + "\"";
        };
    }

    private static String printableAscii() {
        StringBuilder sb = new StringBuilder();
        for (char c = ' '; c <= '~'; c++) {
            sb.append(c);
        }
        return sb.toString();
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
