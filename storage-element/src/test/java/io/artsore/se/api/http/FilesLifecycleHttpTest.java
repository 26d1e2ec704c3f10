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
import io.artsore.se.testing.SeTestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Upload → metadata → list → download → PATCH → DELETE over real HTTP, every response checked against OpenAPI. */
class FilesLifecycleHttpTest extends HttpTestBase {
    @BeforeEach
    void start() throws Exception {
        startServer(Map.of());
    }

    @Test
    void namesWithJoinersAndCharactersBeyondTheBmpAreKeptAsGiven() throws Exception {
        // ZWJ joins an emoji family, ZWNJ belongs in Persian words: neither is refused like a bidi control
        for (String name : new String[] {"family \uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67.txt",
                "\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645.txt", "\uD835\uDC00\uD800\uDF48.bin"}) {
            HttpResponse<byte[]> created = upload(se, new MultipartBody().file(name, "text/plain", new byte[] {1}));
            assertThat(created.statusCode()).as(name).isEqualTo(201);
            assertThat(json(created).path("original_filename").asText()).isEqualTo(name);
        }
    }

    @Test
    void uploadThenReadBack() throws Exception {
        byte[] content = "hello, artsore".getBytes(StandardCharsets.UTF_8);
        HttpResponse<byte[]> created = upload(se, new MultipartBody()
                .field("description", "greeting")
                .file("hello.txt", "text/plain", content)
                .field("tags", "[\"a\",\"b\"]"));
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode meta = json(created);
        assertThat(meta.path("original_filename").asText()).isEqualTo("hello.txt");
        assertThat(meta.path("content_type").asText()).isEqualTo("text/plain");
        assertThat(meta.path("size").asLong()).isEqualTo(content.length);
        assertThat(meta.path("checksum").asText()).isEqualTo(sha256(content));
        assertThat(meta.path("uploaded_by").asText()).isEqualTo(SeTestServer.ALL_SCOPES_SUBJECT);
        assertThat(meta.path("status").asText()).isEqualTo("active");
        assertThat(meta.path("retention_policy").asText()).isEqualTo("temporary");
        assertThat(meta.path("ttl_days").asInt()).isEqualTo(30);
        assertThat(meta.path("description").asText()).isEqualTo("greeting");
        assertThat(meta.path("tags").toString()).isEqualTo("[\"a\",\"b\"]");
        assertThat(meta.has("storage_path")).isFalse();
        String id = meta.path("file_id").asText();

        HttpResponse<byte[]> got = se.send(se.authorized("/api/v1/files/" + id, "files:read").GET().build());
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(json(got)).isEqualTo(meta);

        HttpResponse<byte[]> download = se.send(se.authorized("/api/v1/files/" + id + "/download", "files:read")
                .GET().build());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(content);
        assertThat(download.headers().firstValue("ETag")).hasValue("\"" + sha256(content) + "\"");
        assertThat(download.headers().firstValue("Content-Type")).hasValue("text/plain");
        assertThat(download.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(download.headers().firstValue("Content-Disposition").orElseThrow())
                .startsWith("attachment; filename=\"hello.txt\"");

        HttpResponse<byte[]> list = se.send(se.authorized("/api/v1/files", "files:read").GET().build());
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(json(list).path("total").asLong()).isEqualTo(1);
        assertThat(json(list).path("items").get(0)).isEqualTo(meta);
    }

    @Test
    void patchThenSoftDelete() throws Exception {
        String id = uploadOk(se, "a.pdf", new byte[] {1, 2, 3}).path("file_id").asText();

        HttpResponse<byte[]> patched = se.send(se.authorized("/api/v1/files/" + id, "files:write")
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"description\":\"new\",\"tags\":[\"x\"]}"))
                .build());
        assertThat(patched.statusCode()).isEqualTo(200);
        assertThat(json(patched).path("description").asText()).isEqualTo("new");
        assertThat(json(patched).path("tags").toString()).isEqualTo("[\"x\"]");

        HttpResponse<byte[]> deleted = se.send(se.authorized("/api/v1/files/" + id, "files:write").DELETE().build());
        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(deleted.body()).isEmpty();

        HttpResponse<byte[]> meta = se.send(se.authorized("/api/v1/files/" + id, "files:read").GET().build());
        assertThat(json(meta).path("status").asText()).isEqualTo("deleted");
        HttpResponse<byte[]> download = se.send(se.authorized("/api/v1/files/" + id + "/download", "files:read")
                .GET().build());
        assertThat(download.statusCode()).isEqualTo(404);
        assertThat(errorCode(download)).isEqualTo("NOT_FOUND");
    }
}
