package io.artsore.se.api.multipart;

import static io.artsore.se.api.multipart.MultipartFixtures.ascii;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.artsore.se.api.multipart.MultipartFixtures.ChoppyInputStream;
import io.artsore.se.api.multipart.MultipartFixtures.ReadPart;
import io.artsore.se.api.multipart.MultipartFixtures.TestPart;
import io.artsore.se.testing.RandomInputs;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MultipartReaderPropertiesTest {
    private static final String BOUNDARY_CHARS = "abcXYZ019'()+_,-./:=?";
    private static final String ALPHA = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final String FILENAME_CHARS = ALPHA + "0123456789. _-";
    private static final String[] CONTENT_TYPES = {"application/octet-stream", "text/plain; charset=utf-8", null};
    private static final String[] DELIMITER_BITS = {"\r\n", "\r", "\n", "-", "--", "\r\n-", "\r\n--", "\r\n\r\n"};
    private static final int WHOLE_BODY_CHUNK = 1 << 20;

    record Case(String boundary, List<TestPart> parts, long seed, int maxChunk) {
        byte[] body() {
            return MultipartFixtures.body(boundary, parts);
        }

        @Override
        public String toString() {
            return "Case[boundary=" + boundary + ", parts=" + parts.size() + ", body=" + body().length
                    + " bytes, seed=" + seed + ", maxChunk=" + maxChunk + "]";
        }
    }

    @Test
    void partsRoundTripExactlyWhateverTheReadSizes() {
        RandomInputs.forAll(edgeCases(), 500, MultipartReaderPropertiesTest::randomCase, c -> {
            List<ReadPart> read = readChoppily(c.body(), c);

            assertThat(read).hasSize(c.parts().size());
            for (int i = 0; i < read.size(); i++) {
                TestPart sent = c.parts().get(i);
                ReadPart got = read.get(i);
                assertThat(got.name()).isEqualTo(sent.name());
                assertThat(got.filename()).isEqualTo(sent.filename());
                assertThat(got.contentType()).isEqualTo(sent.contentType());
                assertThat(got.content()).isEqualTo(sent.content());
            }
        });
    }

    @Test
    void everyTruncationBeforeTheClosingDelimiterIsRejected() {
        RandomInputs.forAll(edgeCases(), 60, MultipartReaderPropertiesTest::randomCase, c -> {
            byte[] body = c.body();
            int closeEnd = body.length - 2; // the body ends with "--boundary--" CRLF; the final CRLF is epilogue
            for (int length = 0; length < closeEnd; length++) {
                byte[] truncated = Arrays.copyOf(body, length);
                assertThatThrownBy(() -> readChoppily(truncated, c))
                        .as("truncated at %d of %d", length, body.length)
                        .isInstanceOf(MultipartException.class);
            }
            assertThat(MultipartFixtures.readAll(Arrays.copyOf(body, closeEnd), c.boundary()))
                    .hasSize(c.parts().size());
        });
    }

    private static List<ReadPart> readChoppily(byte[] body, Case c) throws Exception {
        return MultipartFixtures.readAll(new ChoppyInputStream(body, c.seed(), c.maxChunk()), c.boundary(),
                MultipartReader.Limits.DEFAULT);
    }

    /**
     * Shortest, longest and punctuation-only boundaries; no parts, empty parts and parts whose content comes as
     * close to the delimiter as allowed; read byte by byte and all at once.
     */
    private static List<Case> edgeCases() {
        List<Case> cases = new ArrayList<>();
        for (String boundary : List.of("a", "Z".repeat(70), "'()+_,-./:=?", BOUNDARY_CHARS)) {
            String almostDelimiter = "\r\n--" + boundary.substring(0, boundary.length() - 1);
            List<List<TestPart>> partLists = List.of(
                    List.of(),
                    List.of(new TestPart("a", null, null, new byte[0])),
                    List.of(new TestPart("a", "f", CONTENT_TYPES[0], ascii(almostDelimiter)),
                            new TestPart("b", ". _-", CONTENT_TYPES[1], ascii("--" + boundary)),
                            new TestPart("c", null, null, ascii("\r\n\r\n\r\n-"))));
            for (List<TestPart> parts : partLists) {
                for (int maxChunk : List.of(1, WHOLE_BODY_CHUNK)) {
                    cases.add(new Case(boundary, parts, 0, maxChunk));
                }
            }
        }
        return cases;
    }

    private static Case randomCase(Random random) {
        String boundary = RandomInputs.string(random, BOUNDARY_CHARS, 1, 70);
        byte[] delimiter = ascii("\r\n--" + boundary);
        List<TestPart> parts = new ArrayList<>();
        for (int i = RandomInputs.length(random, 0, 5); i > 0; i--) {
            parts.add(new TestPart(
                    RandomInputs.string(random, ALPHA, 1, 8),
                    random.nextInt(10) < 4 ? null : RandomInputs.string(random, FILENAME_CHARS, 1, 12),
                    random.nextInt(10) < 4 ? null : RandomInputs.oneOf(random, CONTENT_TYPES[0], CONTENT_TYPES[1]),
                    contentWithout(delimiter, boundary, random)));
        }
        return new Case(boundary, parts, random.nextLong(), maxChunk(random));
    }

    /** Read sizes weighted 3:2:1 between tiny, small and whole-body chunks. */
    private static int maxChunk(Random random) {
        int pick = random.nextInt(6);
        return pick < 3 ? random.nextInt(1, 9) : pick < 5 ? random.nextInt(9, 201) : WHOLE_BODY_CHUNK;
    }

    /** Content that stresses the delimiter search but never contains the full delimiter (which would end the part). */
    private static byte[] contentWithout(byte[] delimiter, String boundary, Random random) {
        byte[] content;
        do {
            content = content(boundary, random);
        } while (contains(content, delimiter));
        return content;
    }

    /** Content built from fragments that stress the delimiter search: CR/LF runs, dashes, boundary prefixes. */
    private static byte[] content(String boundary, Random random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = RandomInputs.length(random, 0, 12); i > 0; i--) {
            int pick = random.nextInt(8); // weights 3:2:2:1 as listed
            out.writeBytes(pick < 3 ? RandomInputs.bytes(random, 40)
                    : pick < 5 ? ascii(RandomInputs.oneOf(random, DELIMITER_BITS))
                    : pick < 7 ? ascii("\r\n--" + boundary.substring(0, random.nextInt(boundary.length())))
                    : ascii("--" + boundary.substring(0, random.nextInt(boundary.length() + 1))));
        }
        return out.toByteArray();
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    @Test
    void arbitraryBytesNeverCauseAnythingButMultipartException() {
        List<byte[]> edges = List.of(new byte[0], new byte[1], ascii("--b"), ascii("--b\r\n"), ascii("--b--"),
                ascii("\r\n--b\r\n\r\n"), ascii("--b\r\n\r\n\r\n--b--"));
        RandomInputs.forAll(edges, 300, random -> RandomInputs.bytes(random, 255),
                garbage -> readFailingOnlyAsClientError(new ByteArrayInputStream(garbage)));
    }

    @Test
    void arbitraryPartHeadersParseOrFailAsClientErrors() {
        String named = "Content-Disposition: form-data; name=\"a\"; ";
        List<String> edges = List.of("", "\r\n", "\ud800", "Content-Disposition:", "Content-Disposition: form-data",
                "Content-Disposition: form-data; name=\"", named, named + "filename*=", named + "filename*=UTF-8''%",
                named + "filename*=UTF-8''%F", named + "filename=\"\\");
        RandomInputs.forAll(edges, 500, MultipartReaderPropertiesTest::headerText, headers -> {
            String body = "--b\r\n" + headers + "\r\n\r\nx\r\n--b--";
            readFailingOnlyAsClientError(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
        });
    }

    private static void readFailingOnlyAsClientError(ByteArrayInputStream body) throws Exception {
        try {
            MultipartFixtures.readAll(body, "b", MultipartReader.Limits.DEFAULT);
        } catch (MultipartException expected) {
            // fine: rejected as a client error
        }
    }

    /** Any text, text from header-syntax characters, or such text after a valid start of a header. */
    private static String headerText(Random random) {
        String structured =
                RandomInputs.string(random, "Content-Disposition:form-data;name=\"filename*'%\\ \t\r\nUTF8", 0, 80);
        return switch (random.nextInt(3)) {
            case 0 -> RandomInputs.anyString(random, 30);
            case 1 -> structured;
            default -> "Content-Disposition: form-data; name=\"a\"; " + structured;
        };
    }

    @Test
    void boundaryOfAcceptsOrRejectsAnyHeaderCleanly() {
        List<String> edges = List.of("", "\"\"", "\"", " ", "a", "\"a\"", "a".repeat(70), "a".repeat(71),
                "\"" + "a".repeat(70) + "\"", "a ", "a;b", "\ud800");
        RandomInputs.forAll(edges, 300, RandomInputs::anyString, contentType -> {
            try {
                String boundary = MultipartReader.boundaryOf("multipart/form-data; boundary=" + contentType);
                assertThat(boundary).isNotEmpty().hasSizeLessThanOrEqualTo(70);
            } catch (MultipartException expected) {
                // fine
            }
        });
    }
}
