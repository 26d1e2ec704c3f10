package io.artsore.se.api.http;

import static io.artsore.se.api.http.HttpTestSupport.json;
import static io.artsore.se.api.http.HttpTestSupport.uploadOk;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.artsore.se.storage.wal.WalQuarantine;
import io.artsore.se.testing.HttpTestBase;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Security review L6 end to end: an element whose WAL holds a torn record starts (it used to crash-loop), serves,
 * and says so on /health/ready (200, wal degraded) and /metrics until an operator removes the record.
 */
class WalQuarantineHttpTest extends HttpTestBase {
    @Test
    void aTornWalRecordIsQuarantinedReportedAndClearedByRemovingIt() throws Exception {
        Path wal = Files.createDirectories(root.resolve("wal"));
        Files.writeString(wal.resolve("0b6f4c1e-2d3a-4b5c-8d7e-9f0a1b2c3d4e.wal.json"), "{\"format_version\":2,\"tra");
        startServer(Map.of());

        HttpResponse<byte[]> ready = se.send(se.request("/health/ready").GET().build());
        assertThat(ready.statusCode()).isEqualTo(200);
        JsonNode body = json(ready);
        assertThat(body.path("status").asText()).isEqualTo("degraded");
        assertThat(body.path("checks").path("wal").path("status").asText()).isEqualTo("degraded");
        assertThat(quarantinedRecordsMetric()).hasValue(1.0);
        uploadOk(se, "after.txt", new byte[] {1});

        Path quarantine = WalQuarantine.in(wal).directory();
        try (var records = Files.list(quarantine)) {
            for (Path p : records.toList()) {
                Files.delete(p);
            }
        }
        assertThat(json(se.send(se.request("/health/ready").GET().build())).path("status").asText())
                .isEqualTo("ok");
        assertThat(quarantinedRecordsMetric()).hasValue(0.0);
    }

    private Optional<Double> quarantinedRecordsMetric() throws Exception {
        return new PrometheusText(new String(se.send(se.request("/metrics").GET().build()).body(),
                StandardCharsets.UTF_8)).value("se_wal_quarantined_records", Map.of());
    }
}
