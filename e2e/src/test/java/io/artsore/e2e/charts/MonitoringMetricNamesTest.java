package io.artsore.e2e.charts;

import io.artsore.e2e.dev.DevCertificates;
import io.artsore.e2e.jwksmock.JwksMock;
import io.artsore.e2e.jwksmock.MockConfig;
import io.artsore.operator.crd.ElementMode;
import io.artsore.operator.crd.StorageElement;
import io.artsore.operator.support.Elements;
import io.artsore.se.config.ConfigLoader;
import io.artsore.se.server.StorageElementServer;
import io.artsore.se.testing.ListenPorts;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.javaoperatorsdk.operator.processing.GroupVersionKind;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every metric name the monitoring pack's alerts and dashboard use exists in what the software really exports:
 * the element's names against a scrape of a real element's /metrics, the operator's against a scrape of the
 * metrics object the operator wires. A renamed metric otherwise leaves an alert that can never fire.
 */
class MonitoringMetricNamesTest {

    @TempDir
    Path dir;

    @Test
    void everyElementMetricOfThePackIsInARealElementsScrape() throws Exception {
        Set<String> used = MonitoringPack.ourMetricNames(MonitoringPack.elementExpressions());
        // the pack really covers the element's families (a broken extraction would find none)
        assertThat(used).contains("se_http_requests_total", "se_http_request_duration_seconds_bucket",
                "se_storage_bytes", "se_mode_info", "se_replica_role", "se_replica_epoch",
                "se_tls_certificate_expiry_timestamp_seconds", "se_tls_certificate_reload_refused",
                "se_reconcile_issues_total", "se_scrub_known_checksum_mismatches", "app_dependency_health");

        try (JwksMock jwks = new JwksMock(MockConfig.forTests())) {
            jwks.start();
            DevCertificates tls = DevCertificates.ensure(dir.resolve("tls"));
            int port = ListenPorts.outsideEphemeralRange();
            // The configuration that exports every family: replicated (role, epoch), TLS (certificate gauges),
            // scrubbing on (the default rate; scrub counters), the JWKS dependency check. Plain-HTTP JWKS
            // needs the development opt-in; the listener still serves TLS because a certificate is given.
            Map<String, String> env = new HashMap<>(Map.of(
                    "SE_STORAGE_ID", "se-metrics",
                    "SE_DATA_DIR", dir.resolve("data").toString(),
                    "SE_WAL_DIR", dir.resolve("wal").toString(),
                    "SE_MAX_CAPACITY", String.valueOf(1L << 30),
                    "SE_BIND_ADDRESS", "127.0.0.1",
                    "SE_PORT", String.valueOf(port),
                    "SE_DEV_INSECURE_HTTP", "true",
                    "SE_TLS_CERT", tls.certPem().toString(),
                    "SE_TLS_KEY", tls.keyPem().toString(),
                    "SE_JWKS_URL", jwks.baseUri().resolve("/jwks").toString()));
            env.put("SE_REPLICA_MODE", "replicated");
            env.put("SE_ADVERTISED_ADDRESS", "127.0.0.1:" + port);
            env.put("SE_DEPHEALTH_CHECK_INTERVAL", "1s");
            try (StorageElementServer server = StorageElementServer.start(ConfigLoader.load(env), Clock.systemUTC())) {
                HttpClient http = HttpClient.newBuilder().sslContext(trusting(tls.certPem()))
                        .connectTimeout(Duration.ofSeconds(5)).build();
                URI base = URI.create("https://127.0.0.1:" + server.port());
                // labelled series exist once observed: one request (HTTP histogram) and one dependency check
                // (latency histogram) are enough, so scrape until both show, within a bound
                Set<String> exported = Set.of();
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (System.nanoTime() < deadline) {
                    send(http, base.resolve("/health/live"));
                    exported = sampleNames(send(http, base.resolve("/metrics")).body());
                    if (missing(used, exported).isEmpty()) {
                        break;
                    }
                    Thread.sleep(250);
                }
                assertThat(missing(used, exported)).as("used by the pack but not in the element's /metrics:\n%s",
                        exported).isEmpty();
            }
        }
    }

    /**
     * The operator's names: a scrape of the operator's own metrics wiring (OperatorRuntime: JOSDK's
     * per-resource MicrometerMetrics on a PrometheusMeterRegistry, whose scrape() ProbeServer serves on
     * /metrics), driven through JOSDK's Metrics interface the way the reconciliation dispatcher calls it.
     * A running operator would need a failing reconcile against a mock API server before its
     * reconciliations_failed counter exists (Micrometer creates counters on first increment); this drives the
     * same objects without that choreography.
     */
    @Test
    void everyOperatorMetricOfThePackIsInTheOperatorsScrape() {
        Set<String> used = MonitoringPack.ourMetricNames(MonitoringPack.operatorExpressions());
        assertThat(used).contains("operator_sdk_reconciliations_failed_total");

        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Metrics metrics = MicrometerMetrics.newPerResourceCollectingMicrometerMetricsBuilder(registry).build();
        StorageElement element = Elements.minimal("se-01", ElementMode.RW);
        Map<String, Object> metadata = Map.of(Constants.RESOURCE_GVK_KEY, GroupVersionKind.gvkFor(StorageElement.class),
                Constants.CONTROLLER_NAME, "storageelementreconciler");
        // only the failure: the started/finished calls also feed per-controller queue gauges, which need a
        // registered JOSDK Controller (controllerRegistered) that only a running operator has
        metrics.failedReconciliation(element, new IllegalStateException("apply refused"), metadata);

        Set<String> exported = sampleNames(registry.scrape());
        assertThat(missing(used, exported)).as("used by the pack but not in the operator's /metrics:\n%s", exported)
                .isEmpty();
    }

    /** Names in a Prometheus text exposition: every sample line's name (histograms show as _bucket/_sum/_count). */
    static Set<String> sampleNames(String exposition) {
        Set<String> names = new TreeSet<>();
        exposition.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).forEach(l -> {
            int end = 0;
            while (end < l.length() && l.charAt(end) != '{' && l.charAt(end) != ' ') {
                end++;
            }
            names.add(l.substring(0, end));
        });
        return names;
    }

    /** Used names absent from the scrape; a histogram's base name counts as present when its _bucket series is. */
    static Set<String> missing(Set<String> used, Set<String> exported) {
        Set<String> missing = new TreeSet<>();
        for (String name : used) {
            if (!exported.contains(name) && !exported.contains(name + "_bucket")) {
                missing.add(name);
            }
        }
        return missing;
    }

    private static HttpResponse<String> send(HttpClient http, URI uri) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s", uri).isEqualTo(200);
        return response;
    }

    private static SSLContext trusting(Path certPem) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(certPem)) {
            trust.setCertificateEntry("element", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
