package io.artsore.se.api.http;

import static io.artsore.se.api.http.HttpTestSupport.info;
import static io.artsore.se.api.http.HttpTestSupport.json;
import static io.artsore.se.api.http.HttpTestSupport.upload;
import static io.artsore.se.api.http.HttpTestSupport.uploadOk;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.artsore.se.testing.HttpTestBase;
import io.artsore.se.testing.MultipartBody;
import io.artsore.se.testing.SeTestServer;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Logger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Contract §11 on /metrics: exact family names, bounded path labels, failures counted, gauges equal the index. */
class MetricsHttpTest extends HttpTestBase {
    private static final Logger LOG = Logger.getLogger(MetricsHttpTest.class.getName());
    private static final Set<String> ROUTE_TEMPLATES = Set.of("/api/v1/files/upload", "/api/v1/files",
            "/api/v1/files/{file_id}", "/api/v1/files/{file_id}/download", "/api/v1/info", "/api/v1/mode/transition",
            "/api/v1/maintenance/reconcile", "/health/live", "/health/ready", "/metrics", "/openapi", "unmatched");

    @BeforeEach
    void start() throws Exception {
        startServer(Map.of());
    }

    @Test
    void contractFamiliesArePresentWithExactNames() throws Exception {
        // Labelled families appear once they have a child: make one request and one upload first.
        uploadOk(se, "a.txt", new byte[] {1});
        PrometheusText m = scrape();
        LOG.info("metric families: " + m.types());
        Map<String, String> expected = Map.ofEntries(
                Map.entry("se_http_requests_total", "counter"),
                Map.entry("se_http_request_duration_seconds", "histogram"),
                Map.entry("se_operations_total", "counter"),
                Map.entry("se_files_total", "gauge"),
                Map.entry("se_storage_bytes", "gauge"),
                Map.entry("se_mode_info", "gauge"),
                Map.entry("se_gc_runs_total", "counter"),
                Map.entry("se_gc_files_deleted_total", "counter"),
                Map.entry("se_gc_files_expired_total", "counter"),
                Map.entry("se_gc_duration_seconds", "histogram"),
                Map.entry("se_reconcile_runs_total", "counter"),
                Map.entry("se_reconcile_duration_seconds", "histogram"));
        assertThat(m.types()).containsAllEntriesOf(expected);
        assertThat(m.samples("se_gc_runs_total")).hasSize(1);
        assertThat(m.samples("se_reconcile_runs_total")).hasSize(1);
        assertThat(m.samples("se_http_requests_total")).isNotEmpty();
        for (String status : new String[] {"active", "expired", "deleted"}) {
            assertThat(m.value("se_files_total", Map.of("status", status))).isPresent();
        }
        for (String type : new String[] {"used", "total", "available"}) {
            assertThat(m.value("se_storage_bytes", Map.of("type", type))).isPresent();
        }
        assertThat(m.value("se_mode_info", Map.of("mode", "edit"))).hasValue(1.0);
        assertThat(m.value("se_mode_info", Map.of("mode", "rw"))).hasValue(0.0);
    }

    @Test
    void pathLabelIsTheRouteTemplateNeverTheRawUrl() throws Exception {
        String id = uploadOk(se, "a.txt", new byte[] {1}).path("file_id").asText();
        se.send(se.authorized("/api/v1/files/" + id, "files:read").GET().build());
        se.send(se.authorized("/api/v1/files/" + id + "/download", "files:read").GET().build());
        Set<String> randomSegments = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            String r = UUID.randomUUID().toString();
            randomSegments.add(r);
            se.send(se.request("/" + r).GET().build());
            se.send(se.request("/api/v1/files/" + r).GET().build());
            se.send(se.request("/api/v1/files/" + r + "/download/" + r).GET().build());
            se.send(se.request("/api/v1/files/" + r).method("PUT", HttpRequest.BodyPublishers.noBody()).build());
            se.sendRaw(se.request("/metrics?x=" + r).GET().build());
        }
        se.sendRaw(se.request("/api/v1/info").method("BREW", HttpRequest.BodyPublishers.noBody()).build());

        PrometheusText m = scrape();
        Set<String> paths = new HashSet<>();
        m.samples("se_http_requests_total").forEach(s -> paths.add(s.labels().get("path")));
        m.samples("se_http_request_duration_seconds_count").forEach(s -> paths.add(s.labels().get("path")));
        assertThat(ROUTE_TEMPLATES).containsAll(paths);
        assertThat(paths).contains("unmatched", "/api/v1/files/{file_id}", "/api/v1/files/{file_id}/download");
        Set<String> methods = new HashSet<>();
        m.samples("se_http_requests_total").forEach(s -> methods.add(s.labels().get("method")));
        assertThat(Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "OTHER")).containsAll(methods);
        assertThat(m.value("se_http_requests_total", Map.of("path", "unmatched", "status", "404")))
                .hasValue(60.0);
    }

    @Test
    void failuresAreCountedToo() throws Exception {
        String missing = UUID.randomUUID().toString();
        se.send(se.authorized("/api/v1/files/" + missing, "files:read").GET().build()); // 404
        se.send(se.request("/api/v1/files/" + missing).GET().build()); // 401
        se.send(se.authorized("/api/v1/files/" + missing, "files:write").GET().build()); // 403
        uploadOk(se, "ok.txt", new byte[] {1});
        upload(se, new MultipartBody().field("description", "no file")); // 400
        upload(se, new MultipartBody().file("a.txt", "text/plain", new byte[] {1}).field("tags", "bad")); // 400

        PrometheusText m = scrape();
        String file = "/api/v1/files/{file_id}";
        assertThat(m.value("se_http_requests_total", Map.of("method", "GET", "path", file, "status", "404")))
                .hasValue(1.0);
        assertThat(m.value("se_http_requests_total", Map.of("method", "GET", "path", file, "status", "401")))
                .hasValue(1.0);
        assertThat(m.value("se_http_requests_total", Map.of("method", "GET", "path", file, "status", "403")))
                .hasValue(1.0);
        assertThat(m.value("se_http_requests_total", Map.of("path", "/api/v1/files/upload", "status", "400")))
                .hasValue(2.0);
        assertThat(m.value("se_http_request_duration_seconds_count", Map.of("method", "GET", "path", file)))
                .hasValue(3.0);
        assertThat(m.value("se_operations_total", Map.of("operation", "upload", "result", "success")))
                .hasValue(1.0);
        assertThat(m.value("se_operations_total", Map.of("operation", "upload", "result", "error")))
                .hasValue(2.0);
    }

    @Test
    void fileAndStorageGaugesEqualTheIndex() throws Exception {
        String a = uploadOk(se, "a.bin", new byte[10]).path("file_id").asText();
        uploadOk(se, "b.bin", new byte[20]);
        uploadOk(se, "c.bin", new byte[30]);
        se.send(se.authorized("/api/v1/files/" + a, "files:write").DELETE().build());
        assertGaugesMatchIndex();

        String d = uploadOk(se, "d.bin", new byte[40]).path("file_id").asText();
        se.send(se.authorized("/api/v1/files/" + d, "files:write").DELETE().build());
        assertGaugesMatchIndex();
        PrometheusText m = scrape();
        assertThat(m.value("se_files_total", Map.of("status", "active"))).hasValue(2.0);
        assertThat(m.value("se_files_total", Map.of("status", "deleted"))).hasValue(2.0);
        assertThat(m.value("se_operations_total", Map.of("operation", "delete", "result", "success")))
                .hasValue(2.0);
    }

    @Test
    void modeGaugeFollowsTransitions() throws Exception {
        se.close();
        se = SeTestServer.start(root.resolve("rw"), issuer, Map.of("SE_MODE", "rw"));
        HttpTestSupport.transitionOk(se, "ro", false);
        PrometheusText m = scrape();
        assertThat(m.value("se_mode_info", Map.of("mode", "ro"))).hasValue(1.0);
        assertThat(m.value("se_mode_info", Map.of("mode", "rw"))).hasValue(0.0);
    }

    private void assertGaugesMatchIndex() throws Exception {
        PrometheusText m = scrape();
        for (String status : new String[] {"active", "expired", "deleted"}) {
            long indexed = json(se.send(se.authorized("/api/v1/files?limit=1&status=" + status, "files:read").GET()
                    .build())).path("total").asLong();
            assertThat(m.value("se_files_total", Map.of("status", status))).as(status).hasValue((double) indexed);
        }
        JsonNode c = info(se).path("capacity");
        assertThat(m.value("se_storage_bytes", Map.of("type", "used"))).hasValue(c.path("used_bytes").asDouble());
        assertThat(m.value("se_storage_bytes", Map.of("type", "total"))).hasValue(c.path("total_bytes").asDouble());
        assertThat(m.value("se_storage_bytes", Map.of("type", "available")))
                .hasValue(c.path("available_bytes").asDouble());
    }

    private PrometheusText scrape() throws Exception {
        return new PrometheusText(new String(se.send(se.request("/metrics").GET().build()).body(),
                StandardCharsets.UTF_8));
    }
}
