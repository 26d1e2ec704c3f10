package io.artsore.se.api.multipart;

import static io.artsore.se.api.multipart.MultipartFixtures.ascii;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.artsore.se.api.multipart.MultipartFixtures.ChoppyInputStream;
import io.artsore.se.api.multipart.MultipartFixtures.ReadPart;
import io.artsore.se.api.multipart.MultipartFixtures.TestPart;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

class MultipartReaderPropertiesTest {

    record Case(String boundary, List<TestPart> parts, long seed, int maxChunk) {
        byte[] body() {
            return MultipartFixtures.body(boundary, parts);
        }
    }

    @Property(tries = 500)
    void partsRoundTripExactlyWhateverTheReadSizes(@ForAll("cases") Case c) throws Exception {
        byte[] body = c.body();

        List<ReadPart> read = MultipartFixtures.readAll(
                new ChoppyInputStream(body, c.seed(), c.maxChunk()), c.boundary(), MultipartReader.Limits.DEFAULT);

        assertThat(read).hasSize(c.parts().size());
        for (int i = 0; i < read.size(); i++) {
            TestPart sent = c.parts().get(i);
            ReadPart got = read.get(i);
            assertThat(got.name()).isEqualTo(sent.name());
            assertThat(got.filename()).isEqualTo(sent.filename());
            assertThat(got.contentType()).isEqualTo(sent.contentType());
            assertThat(got.content()).isEqualTo(sent.content());
        }
    }

    @Property(tries = 60)
    void everyTruncationBeforeTheClosingDelimiterIsRejected(@ForAll("cases") Case c) throws Exception {
        byte[] body = c.body();
        int closeEnd = body.length - 2; // the body ends with "--boundary--" CRLF; the final CRLF is epilogue
        for (int length = 0; length < closeEnd; length++) {
            byte[] truncated = Arrays.copyOf(body, length);
            assertThatThrownBy(() -> MultipartFixtures.readAll(
                    new ChoppyInputStream(truncated, c.seed(), c.maxChunk()), c.boundary(), MultipartReader.Limits.DEFAULT))
                    .as("truncated at %d of %d", length, body.length)
                    .isInstanceOf(MultipartException.class);
        }
        assertThat(MultipartFixtures.readAll(Arrays.copyOf(body, closeEnd), c.boundary())).hasSize(c.parts().size());
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<String> boundaries = Arbitraries.strings().withChars("abcXYZ019'()+_,-./:=?").ofMinLength(1).ofMaxLength(70);
        return boundaries.flatMap(boundary -> {
            Arbitrary<TestPart> part = Combinators.combine(
                    Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8),
                    Arbitraries.strings().alpha().numeric().withChars(". _-").ofMinLength(1).ofMaxLength(12).injectNull(0.4),
                    Arbitraries.of("application/octet-stream", "text/plain; charset=utf-8").injectNull(0.4),
                    content(boundary)).as(TestPart::new);
            Arbitrary<Integer> maxChunks = Arbitraries.frequencyOf(
                    Tuple.of(3, Arbitraries.integers().between(1, 8)),
                    Tuple.of(2, Arbitraries.integers().between(9, 200)),
                    Tuple.of(1, Arbitraries.just(1 << 20)));
            return Combinators.combine(part.list().ofMaxSize(5), Arbitraries.longs(), maxChunks)
                    .as((parts, seed, maxChunk) -> new Case(boundary, parts, seed, maxChunk))
                    .filter(c -> c.parts().stream().noneMatch(p -> contains(p.content(), ascii("\r\n--" + boundary))));
        });
    }

    /** Content built from fragments that stress the delimiter search: CR/LF runs, dashes, boundary prefixes. */
    private static Arbitrary<byte[]> content(String boundary) {
        Arbitrary<byte[]> fragment = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.bytes().array(byte[].class).ofMaxSize(40)),
                Tuple.of(2, Arbitraries.of("\r\n", "\r", "\n", "-", "--", "\r\n-", "\r\n--", "\r\n\r\n").map(MultipartFixtures::ascii)),
                Tuple.of(2, Arbitraries.integers().between(0, boundary.length() - 1)
                        .map(k -> ascii("\r\n--" + boundary.substring(0, k)))),
                Tuple.of(1, Arbitraries.integers().between(0, boundary.length())
                        .map(k -> ascii("--" + boundary.substring(0, k)))));
        return fragment.list().ofMaxSize(12).map(fragments -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            fragments.forEach(out::writeBytes);
            return out.toByteArray();
        });
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

    @Property(tries = 300)
    void arbitraryBytesNeverCauseAnythingButMultipartException(@ForAll byte[] garbage) {
        try {
            MultipartFixtures.readAll(new ByteArrayInputStream(garbage), "b", MultipartReader.Limits.DEFAULT);
        } catch (MultipartException expected) {
            // fine: rejected as a client error
        } catch (Exception e) {
            throw new AssertionError("unexpected " + e, e);
        }
    }

    @Property(tries = 500)
    void arbitraryPartHeadersParseOrFailAsClientErrors(@ForAll("headerText") String headers) {
        String body = "--b\r\n" + headers + "\r\n\r\nx\r\n--b--";
        try {
            MultipartFixtures.readAll(body.getBytes(java.nio.charset.StandardCharsets.UTF_8), "b");
        } catch (MultipartException expected) {
            // fine: rejected as a client error
        } catch (Exception e) {
            throw new AssertionError("unexpected " + e, e);
        }
    }

    @Provide
    Arbitrary<String> headerText() {
        Arbitrary<String> noise = Arbitraries.strings().ofMaxLength(30);
        Arbitrary<String> structured = Arbitraries.strings().withChars("Content-Disposition:form-data;name=\"filename*'%\\ \t\r\nUTF8")
                .ofMaxLength(80);
        return Arbitraries.oneOf(noise, structured,
                structured.map(s -> "Content-Disposition: form-data; name=\"a\"; " + s));
    }

    @Property(tries = 300)
    void boundaryOfAcceptsOrRejectsAnyHeaderCleanly(@ForAll String contentType) {
        try {
            String boundary = MultipartReader.boundaryOf("multipart/form-data; boundary=" + contentType);
            assertThat(boundary).isNotEmpty().hasSizeLessThanOrEqualTo(70);
        } catch (MultipartException expected) {
            // fine
        }
    }
}
