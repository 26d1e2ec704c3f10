package io.artsore.se.api.http;

import static io.artsore.se.api.http.HttpTestSupport.errorCode;
import static io.artsore.se.api.http.HttpTestSupport.json;
import static io.artsore.se.api.http.HttpTestSupport.listTotal;
import static io.artsore.se.api.http.HttpTestSupport.uploadOk;
import static org.assertj.core.api.Assertions.assertThat;

import io.artsore.se.testing.SeTestServer;
import io.artsore.se.testing.TestIssuer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file whose attr.json exists but cannot be parsed is not gone: 404 would make the Admin Module mark it
 * deleted (docs/contract.md §6), so its metadata and download answer 500 {@code METADATA_CORRUPT} after a restart,
 * while the other files and the list keep working.
 */
class CorruptMetadataHttpTest {
    @TempDir
    Path root;
    TestIssuer issuer;

    @BeforeEach
    void startIssuer() throws Exception {
        issuer = new TestIssuer();
    }

    @AfterEach
    void closeIssuer() {
        issuer.close();
    }

    @Test
    void aFileWithAnUnparseableSidecarAnswers500NotFound404() throws Exception {
        String corruptId;
        String intactId;
        try (SeTestServer se = SeTestServer.start(root, issuer, Map.of())) {
            corruptId = uploadOk(se, "broken.txt", bytes("one")).path("file_id").asText();
            intactId = uploadOk(se, "fine.txt", bytes("two")).path("file_id").asText();
        }
        Files.writeString(sidecarOf(corruptId), "{\"file_id\":", StandardCharsets.UTF_8);

        try (SeTestServer se = SeTestServer.start(root, issuer, Map.of())) {
            for (String path : new String[] {"/api/v1/files/" + corruptId, "/api/v1/files/" + corruptId + "/download"}) {
                HttpResponse<byte[]> r = se.send(se.authorized(path, "files:read").GET().build());
                assertThat(r.statusCode()).as(path).isEqualTo(500);
                assertThat(errorCode(r)).isEqualTo("METADATA_CORRUPT");
                assertThat(json(r).path("error").path("message").asText()).contains("unreadable")
                        .doesNotContain(root.toString());
            }
            assertThat(se.send(se.authorized("/api/v1/files/" + intactId, "files:read").GET().build())
                    .statusCode()).isEqualTo(200);
            HttpResponse<byte[]> download = se.send(se.authorized("/api/v1/files/" + intactId + "/download",
                    "files:read").GET().build());
            assertThat(download.statusCode()).isEqualTo(200);
            assertThat(download.body()).isEqualTo(bytes("two"));
            assertThat(listTotal(se)).isEqualTo(1);
            HttpResponse<byte[]> unknown = se.send(se.authorized("/api/v1/files/" + UUID.randomUUID(),
                    "files:read").GET().build());
            assertThat(unknown.statusCode()).isEqualTo(404);
        }
    }

    @Test
    void aSidecarCorruptedWhileRunningAnswers500AfterReconciliation() throws Exception {
        try (SeTestServer se = SeTestServer.start(root, issuer, Map.of())) {
            String id = uploadOk(se, "broken.txt", bytes("one")).path("file_id").asText();
            Files.writeString(sidecarOf(id), "not json", StandardCharsets.UTF_8);
            HttpResponse<byte[]> reconcile = se.send(se.authorized("/api/v1/maintenance/reconcile", "storage:write")
                    .POST(HttpRequest.BodyPublishers.noBody()).build());
            assertThat(reconcile.statusCode()).isEqualTo(200);

            HttpResponse<byte[]> r = se.send(se.authorized("/api/v1/files/" + id, "files:read").GET().build());
            assertThat(r.statusCode()).isEqualTo(500);
            assertThat(errorCode(r)).isEqualTo("METADATA_CORRUPT");
        }
    }

    private Path sidecarOf(String id) throws Exception {
        try (Stream<Path> files = Files.walk(root.resolve("data"))) {
            return files.filter(p -> p.getFileName().toString().endsWith("_" + id + ".txt.attr.json"))
                    .findFirst().orElseThrow();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
