package io.artsore.se.api.http;

import static io.artsore.se.api.http.HttpTestSupport.errorCode;
import static io.artsore.se.api.http.HttpTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.artsore.se.domain.ErrorCode;
import io.artsore.se.domain.SeException;
import io.artsore.se.service.reconcile.ReconcileIssue;
import io.artsore.se.service.reconcile.ReconcileReport;
import io.artsore.se.service.reconcile.ReconcileSummary;
import io.artsore.se.service.reconcile.Reconciler;
import io.artsore.se.testing.HttpTestBase;
import io.artsore.se.testing.SeTestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Unknown paths, wrong methods, public endpoints, health and reconcile: every answer is the documented JSON. */
class RoutingHttpTest extends HttpTestBase {
    /** What the stub reconciler answers; a test may swap it for a failure. */
    final AtomicReference<Reconciler> reconcileBehaviour = new AtomicReference<>();
    volatile Boolean lastFullVerify;

    @BeforeEach
    void start() throws Exception {
        reconcileBehaviour.set(full -> {
            lastFullVerify = full;
            Instant now = Instant.now();
            return new ReconcileReport(now, now, 3, List.of(new ReconcileIssue(null, "ab/orphan.bin",
                    "orphaned_file", "no attr.json")), new ReconcileSummary(3, 1, 0, 0, 0));
        });
        se = SeTestServer.start(root, issuer, Map.of(), Clock.systemUTC(), full -> reconcileBehaviour.get()
                .reconcile(full));
    }

    @ParameterizedTest(name = "GET {0} -> 404")
    @ValueSource(strings = {"/", "/nope", "/api", "/api/v1", "/api/v2/files", "/api/v1/files/x/y/z",
        "/api/v1/files/3f2c1b7e-8d4a-4c5b-9e6f-0a1b2c3d4e5f/download/more", "/health", "/metrics/x",
        "/api/v1/info/"})
    void unknownPathsAreJson404(String path) throws Exception {
        HttpResponse<byte[]> r = se.send(se.request(path).GET().build());
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(errorCode(r)).isEqualTo("NOT_FOUND");
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith(
                "application/json"));
    }

    static Stream<Arguments> wrongMethods() {
        return Stream.of(
                Arguments.of("GET", "/api/v1/files/upload", Set.of("POST")),
                Arguments.of("DELETE", "/api/v1/files/upload", Set.of("POST")),
                Arguments.of("POST", "/api/v1/files", Set.of("GET")),
                Arguments.of("PUT", "/api/v1/files/3f2c1b7e-8d4a-4c5b-9e6f-0a1b2c3d4e5f", Set.of("GET", "PATCH", "DELETE")),
                Arguments.of("POST", "/api/v1/files/3f2c1b7e-8d4a-4c5b-9e6f-0a1b2c3d4e5f/download", Set.of("GET", "HEAD")),
                Arguments.of("POST", "/api/v1/info", Set.of("GET")),
                Arguments.of("GET", "/api/v1/mode/transition", Set.of("POST")),
                Arguments.of("GET", "/api/v1/maintenance/reconcile", Set.of("POST")),
                Arguments.of("DELETE", "/health/live", Set.of("GET")),
                Arguments.of("POST", "/health/ready", Set.of("GET")),
                Arguments.of("PUT", "/metrics", Set.of("GET")));
    }

    @ParameterizedTest(name = "{0} {1} -> 405")
    @MethodSource("wrongMethods")
    void wrongMethodsAreJson405WithAllow(String method, String path, Set<String> allowed) throws Exception {
        HttpResponse<byte[]> r = se.send(se.request(path)
                .method(method, HttpRequest.BodyPublishers.noBody()).build());
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(errorCode(r)).isEqualTo("VALIDATION_ERROR");
        Set<String> allow = Stream.of(r.headers().firstValue("Allow").orElseThrow().split(","))
                .map(String::trim).collect(Collectors.toSet());
        assertThat(allow).isEqualTo(allowed);
    }

    @Test
    void publicEndpointsNeedNoToken() throws Exception {
        JsonNode info = json(se.send(se.request("/api/v1/info").GET().build()));
        assertThat(info.path("storage_id").asText()).isEqualTo("se-test");
        assertThat(info.path("status").asText()).isEqualTo("online");
        assertThat(info.path("replica_mode").asText()).isEqualTo("standalone");
        assertThat(info.path("capacity").path("total_bytes").asLong()).isEqualTo(1L << 30);

        JsonNode live = json(se.send(se.request("/health/live").GET().build()));
        assertThat(live.path("status").asText()).isEqualTo("ok");
        assertThat(live.path("service").asText()).isEqualTo("storage-element");

        HttpResponse<byte[]> ready = se.send(se.request("/health/ready").GET().build());
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(json(ready).path("status").asText()).isEqualTo("ok");
        assertThat(json(ready).path("checks").has("filesystem")).isTrue();
        assertThat(json(ready).path("checks").has("wal")).isTrue();

        HttpResponse<byte[]> metrics = se.send(se.request("/metrics").GET().build());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(new String(metrics.body())).contains("se_http_requests_total");

        HttpResponse<byte[]> openapi = se.send(se.request("/openapi").GET().build());
        assertThat(openapi.statusCode()).isEqualTo(200);
        assertThat(new String(openapi.body())).contains("/api/v1/files/upload");
    }

    @Test
    void reconcileAnswersTheReportAndPassesVerifyFull() throws Exception {
        HttpResponse<byte[]> r = se.send(se.authorized("/api/v1/maintenance/reconcile", "storage:write")
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).path("issues").get(0).path("type").asText()).isEqualTo("orphaned_file");
        assertThat(json(r).path("summary").path("orphaned_files").asInt()).isEqualTo(1);
        assertThat(lastFullVerify).isFalse();

        se.send(se.authorized("/api/v1/maintenance/reconcile?verify=full", "storage:write")
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(lastFullVerify).isTrue();

        HttpResponse<byte[]> bad = se.send(se.authorized("/api/v1/maintenance/reconcile?verify=yes",
                "storage:write").POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(bad.statusCode()).isEqualTo(400);
    }

    @Test
    void reconcileAlreadyRunningIs409() throws Exception {
        reconcileBehaviour.set(full -> {
            throw new SeException(ErrorCode.RECONCILE_IN_PROGRESS, "a reconciliation is already running");
        });
        HttpResponse<byte[]> r = se.send(se.authorized("/api/v1/maintenance/reconcile", "storage:write")
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(errorCode(r)).isEqualTo("RECONCILE_IN_PROGRESS");
    }

    @Test
    void unexpectedFailuresAre500WithoutInternals() throws Exception {
        reconcileBehaviour.set(full -> {
            throw new IllegalStateException("boom at /secret/path/data " + UUID.randomUUID());
        });
        HttpResponse<byte[]> r = se.send(se.authorized("/api/v1/maintenance/reconcile", "storage:write")
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(errorCode(r)).isEqualTo("INTERNAL_ERROR");
        String body = new String(r.body());
        assertThat(body).doesNotContain("/secret/path").doesNotContain("IllegalStateException")
                .doesNotContain("at io.");
    }

    /** Requests Helidon rejects before routing: client mistakes are 4xx JSON, never 500. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"G\u0000T / HTTP/1.1\r\nHost: x\r\n\r\n", "\u00c4\u00d6 / HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: x"})
    void malformedRequestsAre400Json(String head) throws Exception {
        RawHttp.Response r = RawHttp.exchangeThenHalfClose(se.server().port(), head);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.header("content-type")).hasValue("application/json");
        assertThat(HttpTestSupport.JSON.readTree(r.body()).path("error").path("code").asText())
                .isEqualTo("VALIDATION_ERROR");
    }

    @Test
    void http10IsRefusedWithATruthfulMessage() throws Exception {
        RawHttp.Response r = RawHttp.exchangeThenHalfClose(se.server().port(), "GET /health/live HTTP/1.0\r\n\r\n");
        assertThat(r.status()).isEqualTo(505);
        assertThat(r.bodyText()).contains("VALIDATION_ERROR").contains("HTTP/1.1 required");
    }
}
