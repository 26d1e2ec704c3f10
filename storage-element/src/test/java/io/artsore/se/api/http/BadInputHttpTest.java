package io.artsore.se.api.http;

import static io.artsore.se.api.http.HttpTestSupport.errorCode;
import static io.artsore.se.api.http.HttpTestSupport.json;
import static io.artsore.se.api.http.HttpTestSupport.listTotal;
import static io.artsore.se.api.http.HttpTestSupport.storedFiles;
import static io.artsore.se.api.http.HttpTestSupport.upload;
import static io.artsore.se.api.http.HttpTestSupport.uploadOk;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.artsore.se.testing.MultipartBody;
import io.artsore.se.testing.SeTestServer;
import io.artsore.se.testing.TestIssuer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad input of every kind is a clear 4xx JSON error and stores nothing: the list total and the set of files
 * under the data dir are the same before and after. One server for the class, holding one valid file.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputHttpTest {
    private static final byte[] CONTENT = "content".getBytes(StandardCharsets.UTF_8);
    /** One code point, two UTF-16 units: the limits count it once. */
    private static final String EMOJI = "\uD83D\uDE00";

    Path root;
    TestIssuer issuer;
    SeTestServer se;
    String existingId;
    JsonNode existing;
    List<Path> filesBefore;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        root = dir;
        issuer = new TestIssuer();
        se = SeTestServer.start(root, issuer, Map.of());
        existing = uploadOk(se, "keep.pdf", CONTENT);
        existingId = existing.path("file_id").asText();
    }

    @AfterAll
    void stop() {
        se.close();
        issuer.close();
    }

    @BeforeEach
    void snapshot() throws Exception {
        filesBefore = storedFiles(se);
    }

    @AfterEach
    void nothingWasStoredOrChanged() throws Exception {
        assertThat(listTotal(se)).isEqualTo(1);
        assertThat(storedFiles(se)).containsExactlyInAnyOrderElementsOf(filesBefore);
        assertThat(json(se.send(se.authorized("/api/v1/files/" + existingId, "files:read").GET().build())))
                .isEqualTo(existing);
        assertThat(json(se.send(se.request("/api/v1/info").GET().build())).path("capacity").path("used_bytes")
                .asLong()).isEqualTo(CONTENT.length);
    }

    static Stream<Arguments> badUploads() {
        return Stream.of(
                bad("no file part", () -> new MultipartBody().field("description", "only text")),
                bad("two file parts", () -> new MultipartBody().file("a.txt", "text/plain", CONTENT)
                        .file("b.txt", "text/plain", CONTENT)),
                bad("file part without a filename", () -> new MultipartBody().part("file", null, "text/plain", CONTENT)),
                bad("empty filename", () -> new MultipartBody().file("", "text/plain", CONTENT)),
                bad("../ path", () -> new MultipartBody().file("../../etc/passwd", "text/plain", CONTENT)),
                bad("..\\ path", () -> new MultipartBody().file("..\\..\\boot.ini", "text/plain", CONTENT)),
                bad("dir/../ in the middle", () -> new MultipartBody().file("a/../../b.txt", "text/plain", CONTENT)),
                bad("only a directory", () -> new MultipartBody().file("dir/", "text/plain", CONTENT)),
                bad("NUL in the name", () -> new MultipartBody().file("a\u0000b.txt", "text/plain", CONTENT)),
                bad("tab in the name", () -> new MultipartBody().file("a\tb.txt", "text/plain", CONTENT)),
                bad("DEL in the name", () -> new MultipartBody().file("a\u007fb.txt", "text/plain", CONTENT)),
                bad("escape in the name", () -> new MultipartBody().file("a\u001b[31mb.txt", "text/plain", CONTENT)),
                bad("a C1 control (NEL) in the name", () -> new MultipartBody().file("a\u0085b.txt", "text/plain", CONTENT)),
                bad("a right-to-left override in the name",
                        () -> new MultipartBody().file("report\u202Efdp.exe", "text/plain", CONTENT)),
                bad("a bidi isolate in the name", () -> new MultipartBody().file("a\u2066b.txt", "text/plain", CONTENT)),
                bad("a right-to-left mark in the name", () -> new MultipartBody().file("a\u200Fb.txt", "text/plain", CONTENT)),
                bad("a zero-width space in the name", () -> new MultipartBody().file("a\u200Bb.txt", "text/plain", CONTENT)),
                bad("a byte order mark in the name", () -> new MultipartBody().file("\uFEFFa.txt", "text/plain", CONTENT)),
                bad("a line separator in the name", () -> new MultipartBody().file("a\u2028b.txt", "text/plain", CONTENT)),
                bad("two description parts", () -> new MultipartBody().field("description", "one")
                        .file("a.txt", "text/plain", CONTENT).field("description", "two")),
                bad("two tags parts", () -> withTags("[\"a\"]").field("tags", "[\"b\"]")),
                bad("two ttl_days parts", () -> new MultipartBody().field("ttl_days", "2")
                        .file("a.txt", "text/plain", CONTENT).field("ttl_days", "3")),
                bad("filename and filename* naming different files", () -> new MultipartBody()
                        .rawPart("form-data; name=\"file\"; filename=\"a.txt\"; filename*=UTF-8''a.exe", CONTENT)),
                bad("description of 1001 characters before the file",
                        () -> new MultipartBody().field("description", "d".repeat(1001)).file("a.txt", "text/plain", CONTENT)),
                bad("description of 1001 characters after the file",
                        () -> new MultipartBody().file("a.txt", "text/plain", CONTENT).field("description", "ж".repeat(1001))),
                bad("description of 1001 emoji before the file", () -> new MultipartBody()
                        .field("description", EMOJI.repeat(1001)).file("a.txt", "text/plain", CONTENT)),
                badType("a part Content-Type of 256 characters", "a/" + "b".repeat(254)),
                badType("a control character in the part Content-Type", "text/plain\u0001x"),
                badType("a tab in the part Content-Type", "text/plain;\tcharset=utf-8"),
                badType("DEL in the part Content-Type", "text/plain\u007f"),
                badType("a part Content-Type that is no media type", "not a media type"),
                badType("a part Content-Type without a subtype", "text/"),
                badType("a part Content-Type with a bad parameter", "text/plain; charset"),
                badType("a non-ASCII part Content-Type", "text/pl\u00e4in"),
                bad("tags not JSON", () -> withTags("not json")),
                bad("tags an object", () -> withTags("{\"a\":1}")),
                bad("tags a string", () -> withTags("\"a\"")),
                bad("tags of numbers", () -> withTags("[1,2]")),
                bad("tags with null", () -> withTags("[\"a\",null]")),
                bad("an empty tag", () -> withTags("[\"\"]")),
                bad("too many tags", () -> withTags(IntStream.range(0, 101).mapToObj(i -> "\"t" + i + "\"")
                        .collect(Collectors.joining(",", "[", "]")))),
                bad("a tag of 257 characters", () -> withTags("[\"" + "t".repeat(257) + "\"]")),
                bad("tags of more than 4 KiB in total", () -> withTags(tagsOfTotalBytes(4097))),
                bad("ttl_days 0", () -> new MultipartBody().file("a.txt", "text/plain", CONTENT).field("ttl_days", "0")),
                bad("ttl_days 366", () -> new MultipartBody().file("a.txt", "text/plain", CONTENT).field("ttl_days", "366")),
                bad("ttl_days text", () -> new MultipartBody().file("a.txt", "text/plain", CONTENT).field("ttl_days", "ten")));
    }

    private static Arguments bad(String name, Supplier<MultipartBody> body) {
        return Arguments.of(name, body);
    }

    private static Arguments badType(String name, String partContentType) {
        return bad(name, () -> new MultipartBody().file("a.txt", partContentType, CONTENT));
    }

    /** A JSON array of tags of 256 ASCII characters (the last one shorter) that add up to {@code bytes}. */
    private static String tagsOfTotalBytes(int bytes) {
        return IntStream.range(0, (bytes + 255) / 256)
                .mapToObj(i -> "\"" + "t".repeat(Math.min(256, bytes - i * 256)) + "\"")
                .collect(Collectors.joining(",", "[", "]"));
    }

    private static MultipartBody withTags(String tags) {
        return new MultipartBody().file("a.txt", "text/plain", CONTENT).field("tags", tags);
    }

    @ParameterizedTest(name = "upload with {0} -> 400")
    @MethodSource("badUploads")
    void badUploadIsRefused(String name, Supplier<MultipartBody> body) throws Exception {
        HttpResponse<byte[]> r = upload(se, body.get());
        assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(400);
        assertThat(errorCode(r)).isEqualTo("VALIDATION_ERROR");
    }

    @Test
    void descriptionOfExactly1000CharactersIsAccepted() throws Exception {
        // The positive boundary: proves the 1001 rows fail for the length, not for something else.
        // (Stored in its own server so the class-wide "nothing stored" check stays true.)
        try (TestIssuer other = new TestIssuer();
             SeTestServer fresh = SeTestServer.start(root.resolve("fresh"), other, Map.of())) {
            HttpResponse<byte[]> r = upload(fresh, new MultipartBody().field("description", "ж".repeat(1000))
                    .file("a.txt", "text/plain", CONTENT).field("tags", "[\"x\"]").field("ttl_days", "365"));
            assertThat(r.statusCode()).isEqualTo(201);
            assertThat(json(r).path("ttl_days").asInt()).isEqualTo(365);
        }
    }

    @Test
    void metadataAtEveryLimitIsAcceptedAndTheFileDownloads() throws Exception {
        // The positive boundaries of the rows above: 1000 emoji, a 255-character media type with parameters,
        // tags of exactly 4 KiB. (Stored in its own server so the class-wide "nothing stored" check holds.)
        String type = "application/vnd.a+json; charset=\"utf-8\"; q=x";
        type += "; p=" + "v".repeat(255 - type.length() - 4);
        assertThat(type).hasSize(255);
        try (TestIssuer other = new TestIssuer();
             SeTestServer fresh = SeTestServer.start(root.resolve("limits"), other, Map.of())) {
            HttpResponse<byte[]> r = upload(fresh, new MultipartBody().field("description", EMOJI.repeat(1000))
                    .field("tags", tagsOfTotalBytes(4096)).file("a.txt", type, CONTENT));
            assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(201);
            assertThat(json(r).path("content_type").asText()).isEqualTo(type);
            HttpResponse<byte[]> download = fresh.send(fresh.authorized("/api/v1/files/"
                    + json(r).path("file_id").asText() + "/download", "files:read").GET().build());
            assertThat(download.statusCode()).isEqualTo(200);
            assertThat(download.headers().firstValue("Content-Type")).contains(type);
        }
    }

    @Test
    void patchWithA1000EmojiDescriptionIsAcceptedAnd1001Refused() throws Exception {
        try (TestIssuer other = new TestIssuer();
             SeTestServer fresh = SeTestServer.start(root.resolve("patch"), other, Map.of())) {
            String id = uploadOk(fresh, "a.txt", CONTENT).path("file_id").asText();
            HttpResponse<byte[]> ok = fresh.send(fresh.authorized("/api/v1/files/" + id, "files:write")
                    .header("Content-Type", "application/json").method("PATCH", HttpRequest.BodyPublishers
                            .ofString("{\"description\":\"" + EMOJI.repeat(1000) + "\"}")).build());
            assertThat(ok.statusCode()).as(new String(ok.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        }
        assertPatchRefused("{\"description\":\"" + EMOJI.repeat(1001) + "\"}");
        assertPatchRefused("{\"tags\":" + tagsOfTotalBytes(4097) + "}");
    }

    /** name, Content-Type header, raw body. */
    static Stream<Arguments> malformedBodies() {
        MultipartBody ok = new MultipartBody().file("a.txt", "text/plain", CONTENT);
        String boundaryOnly = ok.contentType();
        return Stream.of(
                Arguments.of("truncated multipart", boundaryOnly, ok.buildTruncated()),
                Arguments.of("truncated inside the content", boundaryOnly,
                        java.util.Arrays.copyOf(ok.build(), ok.build().length - 30)),
                Arguments.of("garbage with a multipart type", boundaryOnly, "hello world".getBytes()),
                Arguments.of("empty body", boundaryOnly, new byte[0]),
                Arguments.of("wrong boundary", "multipart/form-data; boundary=other", ok.build()),
                Arguments.of("no boundary parameter", "multipart/form-data", ok.build()),
                Arguments.of("JSON content type", "application/json", "{\"file\":\"x\"}".getBytes()),
                Arguments.of("part without Content-Disposition", boundaryOnly,
                        ("--" + boundaryOnly.substring(boundaryOnly.indexOf('=') + 1) + "\r\nContent-Type: text/plain\r\n\r\n"
                                + "x\r\n--" + boundaryOnly.substring(boundaryOnly.indexOf('=') + 1) + "--\r\n").getBytes()));
    }

    @ParameterizedTest(name = "{0} -> 400")
    @MethodSource("malformedBodies")
    void malformedMultipartIsRefused(String name, String contentType, byte[] body) throws Exception {
        HttpResponse<byte[]> r = se.send(se.authorized("/api/v1/files/upload", "files:write")
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
        assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(400);
        assertThat(errorCode(r)).isEqualTo("VALIDATION_ERROR");
    }

    @ParameterizedTest(name = "PATCH {0} -> 400")
    @ValueSource(strings = {"{}", "[]", "null", "\"text\"", "{", "not json", "{\"description\":1}",
        "{\"description\":null}", "{\"tags\":\"a\"}", "{\"tags\":[1]}", "{\"tags\":null}", "{\"size\":5}",
        "{\"description\":\"x\",\"status\":\"deleted\"}", "{\"checksum\":\"00\"}", "{\"file_id\":\"x\"}"})
    void badPatchBodiesAreRefused(String body) throws Exception {
        assertPatchRefused(body);
    }

    @Test
    void patchWithA1001CharacterDescriptionIsRefused() throws Exception {
        assertPatchRefused("{\"description\":\"" + "d".repeat(1001) + "\"}");
    }

    @Test
    void patchWithoutABodyIsRefused() throws Exception {
        HttpResponse<byte[]> r = se.send(se.authorized("/api/v1/files/" + existingId, "files:write")
                .method("PATCH", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(errorCode(r)).isEqualTo("VALIDATION_ERROR");
    }

    private void assertPatchRefused(String body) throws Exception {
        HttpResponse<byte[]> r = se.send(se.authorized("/api/v1/files/" + existingId, "files:write")
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body)).build());
        assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(400);
        assertThat(errorCode(r)).isEqualTo("VALIDATION_ERROR");
    }

    @ParameterizedTest(name = "GET /api/v1/files?{0} -> 400")
    @ValueSource(strings = {"limit=0", "limit=-1", "limit=10001", "limit=abc", "limit=1.5", "limit=", "limit=1e3",
        "limit=99999999999999999999", "offset=-1", "offset=x", "offset=", "status=gone", "status=ACTIVE", "status=",
        "limit=1&limit=2", "status=active&status=deleted"})
    void badListParametersAreRefused(String query) throws Exception {
        HttpResponse<byte[]> r = se.send(se.authorized("/api/v1/files?" + query, "files:read").GET().build());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(errorCode(r)).isEqualTo("VALIDATION_ERROR");
    }

    @ParameterizedTest(name = "file id {0} -> 400 everywhere")
    @ValueSource(strings = {"123", "1-1-1-1-1", "zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz",
        "3f2c1b7e8d4a4c5b9e6f0a1b2c3d4e5f", "%7B3f2c1b7e-8d4a-4c5b-9e6f-0a1b2c3d4e5f%7D",
        "3f2c1b7e-8d4a-4c5b-9e6f-0a1b2c3d4e5f0", "g3f2c1b7e-8d4a-4c5b-9e6f-0a1b2c3d4e5"})
    void badFileIdsAreRefused(String id) throws Exception {
        for (HttpRequest request : List.of(
                se.authorized("/api/v1/files/" + id, "files:read").GET().build(),
                se.authorized("/api/v1/files/" + id + "/download", "files:read").GET().build(),
                se.authorized("/api/v1/files/" + id, "files:write").header("Content-Type", "application/json")
                        .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"description\":\"x\"}")).build(),
                se.authorized("/api/v1/files/" + id, "files:write").DELETE().build())) {
            HttpResponse<byte[]> r = se.send(request);
            assertThat(r.statusCode()).as(request.method() + " " + id).isEqualTo(400);
            assertThat(errorCode(r)).isEqualTo("VALIDATION_ERROR");
        }
    }
}
