package io.artsore.se.api.http;

import static io.artsore.se.api.http.HttpTestSupport.errorCode;
import static io.artsore.se.api.http.HttpTestSupport.json;
import static io.artsore.se.api.http.HttpTestSupport.sha256;
import static io.artsore.se.api.http.HttpTestSupport.upload;
import static io.artsore.se.api.http.HttpTestSupport.uploadOk;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.artsore.se.testing.HttpTestBase;
import io.artsore.se.testing.MultipartBody;
import io.artsore.se.testing.MutableClock;
import io.artsore.se.testing.SeTestServer;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Contract §6: ranges, validators, conditional requests, 416, Content-Disposition, HEAD, gone files. */
class DownloadHttpTest extends HttpTestBase {
    /** Larger than the server's 256 KiB copy chunk, so ranges cross chunk boundaries. */
    private static final int SIZE = 600_000;
    /**
     * The element's clock: a fixed instant on a one-digit day (a Sunday, the day US clocks spring forward), so
     * every date the element writes and every date a test sends is known in advance, whatever the real date.
     * Tokens are issued at the real time and only their expiry is checked, which lies after this instant.
     */
    private static final Instant UPLOADED_AT = Instant.parse("2026-03-08T01:02:03.456Z");
    private static final String LAST_MODIFIED = "Sun, 08 Mar 2026 01:02:03 GMT";

    final MutableClock clock = new MutableClock(UPLOADED_AT);
    byte[] content;
    String id;
    String etag;
    JsonNode meta;

    @BeforeEach
    void start() throws Exception {
        se = SeTestServer.start(root, issuer, Map.of(), clock, null);
        content = new byte[SIZE];
        new Random(42).nextBytes(content);
        meta = uploadOk(se, "data.bin", content);
        id = meta.path("file_id").asText();
        etag = "\"" + sha256(content) + "\"";
    }

    @Test
    void fullDownloadCarriesEveryHeader() throws Exception {
        HttpResponse<byte[]> r = download(Map.of());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(content);
        assertThat(r.headers().firstValue("Content-Length")).hasValue(String.valueOf(SIZE));
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/pdf");
        assertThat(r.headers().firstValue("Accept-Ranges")).hasValue("bytes");
        assertThat(r.headers().firstValue("ETag")).hasValue(etag);
        assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(r.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"data.bin\"");
        assertThat(Instant.parse(meta.path("uploaded_at").asText())).isEqualTo(UPLOADED_AT);
        assertThat(r.headers().firstValue("Last-Modified")).hasValue(LAST_MODIFIED);
    }

    @ParameterizedTest(name = "Range {0} -> 206 {1}-{2}")
    @CsvSource({
        "bytes=0-9, 0, 9",
        "bytes=262140-262150, 262140, 262150",
        "bytes=599990-, 599990, 599999",
        "bytes=-5, 599995, 599999",
        "bytes=-700000, 0, 599999",
        "bytes=500000-9999999, 500000, 599999",
        "bytes=0-0, 0, 0",
        "'bytes= 7-8 ', 7, 8"})
    void singleRangeIsPartialContent(String range, long first, long last) throws Exception {
        HttpResponse<byte[]> r = download(Map.of("Range", range));
        assertThat(r.statusCode()).isEqualTo(206);
        assertThat(r.headers().firstValue("Content-Range")).hasValue("bytes " + first + "-" + last + "/" + SIZE);
        assertThat(r.headers().firstValue("Content-Length")).hasValue(String.valueOf(last - first + 1));
        assertThat(r.body()).isEqualTo(Arrays.copyOfRange(content, (int) first, (int) last + 1));
        assertThat(r.headers().firstValue("ETag")).hasValue(etag);
    }

    /** Documented policy (RangeRequest): several ranges are answered with the whole file. */
    @ParameterizedTest(name = "Range {0} -> 200 whole file")
    @ValueSource(strings = {"bytes=0-1,5-6", "bytes=0-1,0-1,0-1", "bytes=-1,0-", "items=0-9"})
    void multiRangeAndUnknownUnitsGetTheWholeFile(String range) throws Exception {
        HttpResponse<byte[]> r = download(Map.of("Range", range));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Range")).isEmpty();
        assertThat(r.body()).isEqualTo(content);
    }

    @ParameterizedTest(name = "Range {0} -> 416")
    @ValueSource(strings = {"bytes=600000-", "bytes=700000-800000", "bytes=-0", "bytes=5-2", "bytes=abc",
        "bytes=", "bytes=1-2-3", "bytes", "bytes=--1", "bytes=600000-,700000-"})
    void unsatisfiableOrMalformedRangeIs416(String range) throws Exception {
        HttpResponse<byte[]> r = download(Map.of("Range", range));
        assertThat(r.statusCode()).isEqualTo(416);
        assertThat(errorCode(r)).isEqualTo("INVALID_RANGE");
        assertThat(r.headers().firstValue("Content-Range")).hasValue("bytes */" + SIZE);
    }

    @Test
    void emptyFileHasNoSatisfiableRange() throws Exception {
        String empty = uploadOk(se, "empty.bin", new byte[0]).path("file_id").asText();
        HttpResponse<byte[]> whole = se.send(se.authorized("/api/v1/files/" + empty + "/download", "files:read")
                .GET().build());
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.body()).isEmpty();
        HttpResponse<byte[]> ranged = se.send(se.authorized("/api/v1/files/" + empty + "/download", "files:read")
                .header("Range", "bytes=0-").GET().build());
        assertThat(ranged.statusCode()).isEqualTo(416);
        assertThat(ranged.headers().firstValue("Content-Range")).hasValue("bytes */0");
    }

    @ParameterizedTest(name = "If-None-Match {0} -> 304")
    @ValueSource(strings = {"{etag}", "W/{etag}", "*", "\"other\", {etag}"})
    void matchingIfNoneMatchIsNotModified(String header) throws Exception {
        HttpResponse<byte[]> r = download(Map.of("If-None-Match", header.replace("{etag}", etag)));
        assertThat(r.statusCode()).isEqualTo(304);
        assertThat(r.body()).isEmpty();
        assertThat(r.headers().firstValue("ETag")).hasValue(etag);
    }

    @Test
    void otherIfNoneMatchGetsTheFile() throws Exception {
        HttpResponse<byte[]> r = download(Map.of("If-None-Match", "\"" + "0".repeat(64) + "\""));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(content);
    }

    /** RFC 9110 §5.6.7: a recipient accepts all three HTTP-date forms, here each at Last-Modified and 1 s before. */
    @ParameterizedTest(name = "If-Modified-Since {0} -> 304, {1} -> 200")
    @CsvSource(delimiter = '|', value = {
        "Sun, 08 Mar 2026 01:02:03 GMT|Sun, 08 Mar 2026 01:02:02 GMT",
        "Sun, 8 Mar 2026 01:02:03 GMT|Sun, 8 Mar 2026 01:02:02 GMT",
        "Sunday, 08-Mar-26 01:02:03 GMT|Sunday, 08-Mar-26 01:02:02 GMT",
        "Sun Mar  8 01:02:03 2026|Sun Mar  8 01:02:02 2026"})
    void ifModifiedSinceInEveryDateForm(String atLastModified, String secondBefore) throws Exception {
        HttpResponse<byte[]> same = download(Map.of("If-Modified-Since", atLastModified));
        assertThat(same.statusCode()).isEqualTo(304);
        assertThat(same.body()).isEmpty();
        HttpResponse<byte[]> older = download(Map.of("If-Modified-Since", secondBefore));
        assertThat(older.statusCode()).isEqualTo(200);
        assertThat(older.body()).isEqualTo(content);
    }

    @Test
    void ifModifiedSince() throws Exception {
        assertThat(download(Map.of("If-Modified-Since", "Sun, 08 Mar 2026 02:02:03 GMT")).statusCode())
                .as("a later date").isEqualTo(304);
        assertThat(download(Map.of("If-Modified-Since", "not a date")).statusCode()).isEqualTo(200);
        assertThat(download(Map.of("If-Modified-Since", "Mon, 08 Mar 2026 01:02:03 GMT")).statusCode())
                .as("a day name that does not match the date is unparseable").isEqualTo(200);
        assertThat(download(Map.of("If-None-Match", "\"other\"", "If-Modified-Since", LAST_MODIFIED)).statusCode())
                .as("If-None-Match takes precedence over If-Modified-Since").isEqualTo(200);
    }

    @ParameterizedTest(name = "If-Range {0} -> 206")
    @ValueSource(strings = {"Sun, 08 Mar 2026 01:02:03 GMT", "Sun, 8 Mar 2026 01:02:03 GMT",
        "Sunday, 08-Mar-26 01:02:03 GMT", "Sun Mar  8 01:02:03 2026"})
    void ifRangeAcceptsLastModifiedInEveryDateForm(String date) throws Exception {
        HttpResponse<byte[]> r = download(Map.of("Range", "bytes=10-19", "If-Range", date));
        assertThat(r.statusCode()).isEqualTo(206);
        assertThat(r.body()).isEqualTo(Arrays.copyOfRange(content, 10, 20));
    }

    @Test
    void ifRange() throws Exception {
        HttpResponse<byte[]> sameTag = download(Map.of("Range", "bytes=10-19", "If-Range", etag));
        assertThat(sameTag.statusCode()).isEqualTo(206);
        assertThat(sameTag.body()).isEqualTo(Arrays.copyOfRange(content, 10, 20));

        HttpResponse<byte[]> staleTag = download(Map.of("Range", "bytes=10-19", "If-Range", "\"stale\""));
        assertThat(staleTag.statusCode()).isEqualTo(200);
        assertThat(staleTag.body()).isEqualTo(content);

        assertThat(download(Map.of("Range", "bytes=10-19", "If-Range", "W/" + etag)).statusCode())
                .as("a weak tag never allows a range").isEqualTo(200);
        assertThat(download(Map.of("Range", "bytes=10-19", "If-Range", "Sun, 08 Mar 2026 01:01:03 GMT"))
                .statusCode()).as("an older date").isEqualTo(200);
        assertThat(download(Map.of("Range", "bytes=10-19", "If-Range", "Sun Mar  8 01:02:04 2026"))
                .statusCode()).as("a later date").isEqualTo(200);
        assertThat(download(Map.of("Range", "bytes=999999-", "If-Range", "\"stale\"")).statusCode())
                .as("a stale If-Range ignores even an unsatisfiable range").isEqualTo(200);
    }

    @ParameterizedTest(name = "name {0}")
    @CsvSource(delimiter = '|', value = {
        "отчёт 2024.pdf|attachment; filename=\"_____ 2024.pdf\"; filename*=UTF-8''%D0%BE%D1%82%D1%87%D1%91%D1%82%202024.pdf",
        "a\"b.txt|attachment; filename=\"a_b.txt\"; filename*=UTF-8''a%22b.txt",
        "日本.txt|attachment; filename=\"__.txt\"; filename*=UTF-8''%E6%97%A5%E6%9C%AC.txt",
        "plain-name_1.txt|attachment; filename=\"plain-name_1.txt\""})
    void contentDispositionUsesFilenameStarForNonAscii(String name, String expected) throws Exception {
        String fid = json(upload(se, new MultipartBody().file(name, "text/plain", new byte[] {1})))
                .path("file_id").asText();
        HttpResponse<byte[]> r = se.send(se.authorized("/api/v1/files/" + fid + "/download", "files:read")
                .GET().build());
        String value = r.headers().firstValue("Content-Disposition").orElseThrow();
        assertThat(value).isEqualTo(expected);
        if (value.contains("filename*=UTF-8''")) {
            assertThat(percentDecode(value.substring(value.indexOf("''") + 2))).isEqualTo(name);
        }
    }

    /** HEAD (documented as an additive operation): GET's status and headers, never a body. */
    @Test
    void headHasTheHeadersButNoBody() throws Exception {
        HttpResponse<byte[]> r = se.send(se.authorized("/api/v1/files/" + id + "/download", "files:read")
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEmpty();
        assertThat(r.headers().firstValue("Content-Length")).hasValue(String.valueOf(SIZE));
        assertThat(r.headers().firstValue("ETag")).hasValue(etag);
        assertThat(r.headers().firstValue("Accept-Ranges")).hasValue("bytes");
        assertThat(r.headers().firstValue("Content-Disposition")).isPresent();

        HttpResponse<byte[]> ranged = se.send(se.authorized("/api/v1/files/" + id + "/download", "files:read")
                .header("Range", "bytes=0-99").method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(ranged.statusCode()).isEqualTo(206);
        assertThat(ranged.headers().firstValue("Content-Range")).hasValue("bytes 0-99/" + SIZE);
        assertThat(ranged.body()).isEmpty();

        HttpResponse<byte[]> anonymous = se.send(se.request("/api/v1/files/" + id + "/download")
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(anonymous.statusCode()).isEqualTo(401);
    }

    @Test
    void deletedFileIsGoneForReadersButItsMetadataStays() throws Exception {
        assertThat(se.send(se.authorized("/api/v1/files/" + id, "files:write").DELETE().build()).statusCode())
                .isEqualTo(204);
        HttpResponse<byte[]> r = download(Map.of());
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(errorCode(r)).isEqualTo("NOT_FOUND");
        assertThat(download(Map.of("Range", "bytes=0-1")).statusCode()).isEqualTo(404);
        HttpResponse<byte[]> head = se.sendRaw(se.authorized("/api/v1/files/" + id + "/download", "files:read")
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(head.statusCode()).isEqualTo(404);
        HttpResponse<byte[]> metadata = se.send(se.authorized("/api/v1/files/" + id, "files:read").GET().build());
        assertThat(metadata.statusCode()).isEqualTo(200);
        assertThat(json(metadata).path("status").asText()).isEqualTo("deleted");
        HttpResponse<byte[]> deleted = se.send(se.authorized("/api/v1/files?status=deleted", "files:read").GET()
                .build());
        assertThat(json(deleted).path("total").asLong()).isEqualTo(1);
    }

    @Test
    void expiredFileIsGoneForReadersButItsMetadataStays() throws Exception {
        String temp = json(upload(se, new MultipartBody().file("t.txt", "text/plain", new byte[] {1})
                .field("ttl_days", "1"))).path("file_id").asText();
        // The server verifies tokens against its (moved) clock too: this token outlives the jump.
        String token = "Bearer " + issuer.token(issuer.claims("alice", "files:read")
                .expirationTime(java.util.Date.from(Instant.now().plus(Duration.ofDays(10)))).build());
        clock.advance(Duration.ofDays(2));
        HttpResponse<byte[]> r = se.send(se.request("/api/v1/files/" + temp + "/download")
                .header("Authorization", token).GET().build());
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(errorCode(r)).isEqualTo("NOT_FOUND");
        assertThat(se.send(se.request("/api/v1/files/" + temp).header("Authorization", token).GET().build())
                .statusCode()).isEqualTo(200);
    }

    @Test
    void unknownFileIs404() throws Exception {
        HttpResponse<byte[]> r = se.send(se.authorized("/api/v1/files/3f2c1b7e-8d4a-4c5b-9e6f-0a1b2c3d4e5f/download",
                "files:read").GET().build());
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(errorCode(r)).isEqualTo("NOT_FOUND");
    }

    /**
     * Content shorter than attr.json's size (a power cut lost data written without its fsync, issue 18): a 500
     * before any header, never a 200 whose body stops short.
     */
    @ParameterizedTest(name = "content cut to {0} bytes -> 500")
    @ValueSource(ints = {0, 4096, SIZE - 1})
    void contentShorterThanRecordedFailsBeforeTheHeaders(int kept) throws Exception {
        java.nio.file.Path data;
        try (var files = java.nio.file.Files.walk(root.resolve("data"))) { // the one data file: not a sidecar
            data = files.filter(java.nio.file.Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().endsWith(".attr.json"))
                    .filter(p -> !p.getFileName().toString().equals("mode.json")).findFirst().orElseThrow();
        }
        try (var ch = java.nio.channels.FileChannel.open(data, java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(kept);
        }
        HttpResponse<byte[]> r = download(Map.of());
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(errorCode(r)).isEqualTo("INTERNAL_ERROR");
    }

    private HttpResponse<byte[]> download(Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = se.authorized("/api/v1/files/" + id + "/download", "files:read").GET();
        headers.forEach(b::header);
        return se.send(b.build());
    }

    private static String percentDecode(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                out.writeBytes(HexFormat.of().parseHex(s, i + 1, i + 3));
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
