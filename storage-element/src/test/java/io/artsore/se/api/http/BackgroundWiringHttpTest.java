package io.artsore.se.api.http;

import static io.artsore.se.api.http.HttpTestSupport.json;
import static io.artsore.se.api.http.HttpTestSupport.upload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.artsore.se.testing.MultipartBody;
import io.artsore.se.testing.MutableClock;
import io.artsore.se.testing.SeTestServer;
import io.artsore.se.testing.TestIssuer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The background services as wired by the server: GC runs for a standalone element, JWKS health is exported. */
class BackgroundWiringHttpTest {
    @TempDir
    Path root;

    @Test
    void standaloneElementRunsGcAndAnExpiredUploadDisappears() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        try (TestIssuer issuer = new TestIssuer();
             SeTestServer se = SeTestServer.start(root, issuer, Map.of("SE_GC_INTERVAL", "100ms"), clock)) {
            HttpResponse<byte[]> created = upload(se, new MultipartBody().field("ttl_days", "1")
                    .file("short.txt", "text/plain", "bye".getBytes(StandardCharsets.UTF_8)));
            assertThat(created.statusCode()).isEqualTo(201);
            String id = json(created).path("file_id").asText();
            clock.advance(Duration.ofDays(2).plusSeconds(1)); // the TTL, then the default expired grace (24h)
            // the server verifies tokens with the moved clock too
            String token = issuer.token(issuer.claims(SeTestServer.ALL_SCOPES_SUBJECT, "files:read")
                    .expirationTime(Date.from(clock.instant().plus(Duration.ofHours(1)))).build());
            await().atMost(Duration.ofSeconds(30)).until(() -> se.send(se.request("/api/v1/files/" + id)
                    .header("Authorization", "Bearer " + token).GET().build()).statusCode() == 404);
            String metrics = metrics(se);
            assertThat(metrics).contains("se_gc_files_expired_total 1.0", "se_gc_files_deleted_total 1.0",
                    "se_files_total{status=\"active\"} 0.0", "se_storage_bytes{type=\"used\"} 0.0");
        }
    }

    @Test
    void aJwksOutageShowsInDependencyHealthButKeepsTheElementReadyAndTokensAccepted() throws Exception {
        TestIssuer issuer = new TestIssuer();
        try (SeTestServer se = SeTestServer.start(root, issuer, Map.of("SE_DEPHEALTH_CHECK_INTERVAL", "100ms"))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> metrics(se).contains("app_dependency_health{"));
            assertThat(healthLine(se)).endsWith(" 1.0").contains("dependency=\"jwks\"", "name=\"se-test\"",
                    "group=\"artsore\"", "type=\"http\"", "host=\"127.0.0.1\"", "critical=\"yes\"");
            String token = se.token("files:read");

            issuer.close();
            await().atMost(Duration.ofSeconds(30)).until(() -> healthLine(se).endsWith(" 0.0"));
            assertThat(metrics(se)).contains("status=\"connection_error\",type=\"http\"} 1.0");
            assertThat(se.send(se.request("/health/ready").GET().build()).statusCode()).isEqualTo(200);
            HttpResponse<byte[]> list = se.send(se.request("/api/v1/files")
                    .header("Authorization", "Bearer " + token).GET().build());
            assertThat(list.statusCode()).as("cached keys still verify tokens").isEqualTo(200);
        }
    }

    private static String healthLine(SeTestServer se) throws Exception {
        return metrics(se).lines().filter(l -> l.startsWith("app_dependency_health{")).findFirst().orElseThrow();
    }

    private static String metrics(SeTestServer se) throws Exception {
        return new String(se.send(se.request("/metrics").GET().build()).body(), StandardCharsets.UTF_8);
    }
}
