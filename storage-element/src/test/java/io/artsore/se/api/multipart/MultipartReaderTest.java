package io.artsore.se.api.multipart;

import static io.artsore.se.api.multipart.MultipartFixtures.ascii;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.artsore.se.api.multipart.MultipartFixtures.ChoppyInputStream;
import io.artsore.se.api.multipart.MultipartFixtures.ReadPart;
import io.artsore.se.api.multipart.MultipartFixtures.TestPart;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MultipartReaderTest {
    private static final String B = "----WebKitFormBoundary7MA4YWxkTrZu0gW";

    private static MultipartReader reader(String body, String boundary) {
        return new MultipartReader(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), boundary,
                MultipartReader.Limits.DEFAULT);
    }

    private static List<ReadPart> readAll(String body) throws Exception {
        return MultipartFixtures.readAll(body.getBytes(StandardCharsets.UTF_8), "b");
    }

    @Test
    void readsABrowserLikeUploadWithFieldsInAnyOrder() throws Exception {
        String body = "--" + B + "\r\n"
                + "Content-Disposition: form-data; name=\"description\"\r\n\r\n"
                + "Квартальный отчёт\r\n"
                + "--" + B + "\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"report.pdf\"\r\n"
                + "Content-Type: application/pdf\r\n\r\n"
                + "%PDF-1.7 binary\r\n\r\n--not-a-boundary\r\n"
                + "--" + B + "\r\n"
                + "Content-Disposition: form-data; name=\"tags\"\r\n\r\n"
                + "[\"a\",\"b\"]\r\n"
                + "--" + B + "--\r\n";
        MultipartReader reader = reader(body, B);

        Part description = reader.next().orElseThrow();
        assertThat(description.name()).isEqualTo("description");
        assertThat(description.filename()).isNull();
        assertThat(description.contentType()).isEqualTo("text/plain");
        assertThat(description.declaredContentType()).isEmpty();
        assertThat(description.readText(4000)).isEqualTo("Квартальный отчёт");

        Part file = reader.next().orElseThrow();
        assertThat(file.name()).isEqualTo("file");
        assertThat(file.filename()).isEqualTo("report.pdf");
        assertThat(file.contentType()).isEqualTo("application/pdf");
        assertThat(new String(file.body().readAllBytes(), StandardCharsets.UTF_8))
                .isEqualTo("%PDF-1.7 binary\r\n\r\n--not-a-boundary");

        Part tags = reader.next().orElseThrow();
        assertThat(tags.readText(100)).isEqualTo("[\"a\",\"b\"]");
        assertThat(reader.next()).isEmpty();
        assertThat(reader.next()).isEmpty();
    }

    @Test
    void unreadContentIsSkippedAndTheOldBodyStreamIsDead() throws Exception {
        String body = "--b\r\nContent-Disposition: form-data; name=\"one\"\r\n\r\n"
                + "x".repeat(200_000) + "\r\n--b\r\nContent-Disposition: form-data; name=\"two\"\r\n\r\n2\r\n--b--";
        MultipartReader reader = reader(body, "b");
        Part one = reader.next().orElseThrow();
        assertThat(one.body().read()).isEqualTo('x');
        Part two = reader.next().orElseThrow();
        assertThat(one.body().read()).isEqualTo(-1);
        assertThat(two.readText(10)).isEqualTo("2");
        assertThat(reader.next()).isEmpty();
    }

    @Test
    void largePartsRoundTripThroughSmallAndOddReads() throws Exception {
        byte[] content = new byte[3 * 1024 * 1024 + 17];
        new Random(42).nextBytes(content);
        byte[] body = MultipartFixtures.body(B, List.of(new TestPart("file", "big.bin", "application/octet-stream", content)));

        MultipartReader reader = new MultipartReader(new ChoppyInputStream(body, 7, 5000), B, MultipartReader.Limits.DEFAULT);
        InputStream in = reader.next().orElseThrow().body();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] chunk = new byte[777];
        int n;
        while ((n = in.read(chunk)) >= 0) {
            out.write(chunk, 0, n);
        }
        assertThat(out.toByteArray()).isEqualTo(content);
        assertThat(reader.next()).isEmpty();
    }

    @Test
    void decodesFilenameVariants() throws Exception {
        String body = "--b\r\nContent-Disposition: form-data; name=\"f\"; filename*=UTF-8''%D0%BE%D1%82%D1%87%D1%91%D1%82%20%E2%82%AC.txt\r\n\r\n\r\n"
                + "--b\r\nContent-Disposition: form-data; name=\"g\"; filename=\"C:\\dir\\a \\\"q\\\".txt\"\r\n\r\n\r\n"
                + "--b\r\ncontent-disposition: FORM-DATA; NAME=h; FILENAME=\"отчёт.txt\"\r\n\r\n\r\n"
                + "--b\r\nContent-Disposition: form-data; name=\"i\"; filename=\"€.txt\"; filename*=UTF-8''%E2%82%AC.txt\r\n\r\n\r\n"
                + "--b--";
        List<ReadPart> parts = readAll(body);
        assertThat(parts).extracting(ReadPart::filename)
                .containsExactly("отчёт €.txt", "C:\\dir\\a \"q\".txt", "отчёт.txt", "€.txt");
        assertThat(parts).extracting(ReadPart::name).containsExactly("f", "g", "h", "i");
    }

    @Test
    void filenameAndFilenameStarNamingDifferentFilesAreRefused() {
        // the review's WAF/AV differential, and an ASCII fallback beside a UTF-8 name (RFC 7578 §4.2: no filename*)
        for (String cd : List.of("filename=\"a.txt\"; filename*=UTF-8''a.exe",
                "filename*=UTF-8''a.exe; filename=\"a.txt\"", "filename=\"x.txt\"; filename*=UTF-8''%E2%82%AC.txt")) {
            String body = "--b\r\nContent-Disposition: form-data; name=\"f\"; " + cd + "\r\n\r\n\r\n--b--";
            assertThatThrownBy(() -> readAll(body)).as(cd).isInstanceOf(MultipartException.class)
                    .hasMessage("filename and filename* name different files");
        }
    }

    @Test
    void preambleAndTransportPaddingAndFoldedHeadersAreAccepted() throws Exception {
        String body = "This is a preamble\r\n--b \t\r\nContent-Disposition: form-data;\r\n name=\"a\"\r\n\r\nA\r\n--b--\r\nepilogue";
        assertThat(readAll(body)).extracting(ReadPart::name).containsExactly("a");
    }

    @Test
    void anEmptyFormIsJustTheClosingDelimiter() throws Exception {
        assertThat(readAll("--b--")).isEmpty();
    }

    @Test
    void rejectsMalformedBodies() {
        String cd = "Content-Disposition: form-data; name=\"a\"\r\n";
        List<String> bad = List.of(
                "",                                                   // empty body
                "no boundary at all",                                 // garbage, no delimiter
                "x".repeat(20_000) + "\r\n--b\r\n" + cd + "\r\nA\r\n--b--", // preamble beyond the limit
                "--b\r\n" + cd + "\r\nA\r\n",                         // no closing delimiter
                "--b\r\n" + cd + "\r\nA",                             // truncated inside content
                "--b\r\n" + cd,                                       // truncated inside headers
                "--b\r\nContent-Disposition form-data\r\n\r\nA\r\n--b--", // header without colon
                "--b\r\n" + cd + "X-Long: " + "y".repeat(17_000) + "\r\n\r\nA\r\n--b--", // overlong headers
                "--b\r\nContent-Type: text/plain\r\n\r\nA\r\n--b--",  // no Content-Disposition
                "--b\r\nContent-Disposition: form-data\r\n\r\nA\r\n--b--", // no name
                "--b\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nA\r\n--b--", // not form-data
                "--b\r\nContent-Disposition: form-data; name=\"a\"; name=\"b\"\r\n\r\nA\r\n--b--", // repeated parameter
                "--b\r\n" + cd + cd + "\r\nA\r\n--b--",               // repeated header
                "--b\r\n" + cd + "\r\nA\r\n--bX\r\n--b--",            // boundary followed by garbage
                "--b\r\n" + cd + "\r\nA\r\n--b-",                     // half a closing delimiter
                "--b\n" + cd + "\r\nA\r\n--b--",                      // bare LF after delimiter
                "--b\r\nContent-Disposition: form-data; name=\"a\"\n\r\nA\r\n--b--", // bare LF in headers
                "--b\r\nContent-Disposition: form-data; name=\"a\r\n\r\nA\r\n--b--", // unterminated quote
                "--b\r\nContent-Disposition: form-data; name=a; filename*=UTF-8''%E2%82\r\n\r\nA\r\n--b--", // bad UTF-8
                "--b\r\nContent-Disposition: form-data; name=a; filename*=KOI8-R''x\r\n\r\nA\r\n--b--"); // charset
        for (String body : bad) {
            assertThatThrownBy(() -> readAll(body)).as(body.length() > 80 ? body.substring(0, 80) : body)
                    .isInstanceOf(MultipartException.class);
        }
    }

    @Test
    void enforcesThePartLimit() {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            body.append("--b\r\nContent-Disposition: form-data; name=\"p").append(i).append("\"\r\n\r\nv\r\n");
        }
        body.append("--b--");
        byte[] bytes = ascii(body.toString());
        assertThatThrownBy(() -> MultipartFixtures.readAll(new ByteArrayInputStream(bytes), "b",
                new MultipartReader.Limits(1024, 2)))
                .isInstanceOf(MultipartException.class).hasMessageContaining("too many");
    }

    @Test
    void readTextEnforcesItsCapAndUtf8() throws Exception {
        MultipartReader reader = reader("--b\r\nContent-Disposition: form-data; name=\"d\"\r\n\r\n12345\r\n--b--", "b");
        assertThatThrownBy(() -> reader.next().orElseThrow().readText(4))
                .isInstanceOf(MultipartException.class).hasMessageContaining("exceeds 4 bytes");

        MultipartReader exact = reader("--b\r\nContent-Disposition: form-data; name=\"d\"\r\n\r\n12345\r\n--b--", "b");
        assertThat(exact.next().orElseThrow().readText(5)).isEqualTo("12345");

        byte[] latin1 = ascii("--b\r\nContent-Disposition: form-data; name=\"d\"\r\n\r\n\u00e9\r\n--b--");
        MultipartReader invalid = new MultipartReader(new ByteArrayInputStream(latin1), "b", MultipartReader.Limits.DEFAULT);
        assertThatThrownBy(() -> invalid.next().orElseThrow().readText(10)).isInstanceOf(MultipartException.class);
    }

    @Test
    void boundaryOfFollowsRfc2046() {
        assertThat(MultipartReader.boundaryOf("multipart/form-data; boundary=" + B)).isEqualTo(B);
        assertThat(MultipartReader.boundaryOf("Multipart/Form-Data;charset=utf-8; BOUNDARY=\"a b:c\"")).isEqualTo("a b:c");
        assertThat(MultipartReader.boundaryOf("multipart/form-data; boundary=" + "x".repeat(70))).hasSize(70);
        for (String bad : new String[] {null, "", "text/plain; boundary=x", "multipart/form-data",
                "multipart/form-data; boundary=", "multipart/form-data; boundary=" + "x".repeat(71),
                "multipart/form-data; boundary=\"ends with space \"", "multipart/form-data; boundary=a;b=\"",
                "multipart/form-data; boundary=\"a\r\nb\"", "multipart/mixed; boundary=x"}) {
            assertThatThrownBy(() -> MultipartReader.boundaryOf(bad)).as(String.valueOf(bad))
                    .isInstanceOf(MultipartException.class);
        }
    }

    @Test
    void multipartErrorsAreClientValidationErrors() {
        assertThat(new MultipartException("x").code()).isEqualTo(io.artsore.se.domain.ErrorCode.VALIDATION_ERROR);
    }
}
