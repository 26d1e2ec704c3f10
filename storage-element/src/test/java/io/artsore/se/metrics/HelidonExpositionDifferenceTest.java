package io.artsore.se.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.metrics.MetricsObserver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Why /metrics is rendered by {@link PrometheusTextWriter} and not by Helidon's metrics observer
 * (helidon-webserver-observe-metrics): over the very same Helidon registry, the observer's Prometheus text
 * breaks the contract's exact series (docs/contract.md §11), while the element's writer keeps them.
 */
class HelidonExpositionDifferenceTest {
    private SeMetrics metrics;
    private WebServer observer;

    @BeforeEach
    void start() {
        metrics = new SeMetrics();
        metrics.gcRun(0.3, 0, 0);
        metrics.httpRequest("GET", "/api/v1/info", 200, 0.01);
        observer = WebServer.builder().host("127.0.0.1").port(0).featuresDiscoverServices(false)
                .addFeature(ObserveFeature.just(MetricsObserver.builder().meterRegistry(metrics.registry()).build()))
                .build().start();
    }

    @AfterEach
    void stop() {
        observer.stop();
        metrics.close();
    }

    @Test
    void helidonsObserverAddsLabelsAndFamiliesTheContractDoesNotHave() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + observer.port() + "/observe/metrics"))
                .header("Accept", "text/plain").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        String instance = "se_metrics_instance=\"" + metrics.instanceId() + "\"";
        List<String> helidon = r.body().lines().filter(l -> l.contains(instance)).toList();

        // Helidon: every series carries its scope label (and any bookkeeping tag), so the contract's
        // unlabelled series do not exist; labels end with a trailing comma; each timer gets a _max family.
        assertThat(helidon).anyMatch(l -> l.startsWith("se_gc_runs_total{") && l.contains("scope=\"application\""));
        assertThat(helidon).noneMatch(l -> l.startsWith("se_gc_runs_total "));
        assertThat(helidon).anyMatch(l -> l.startsWith("se_http_requests_total{") && l.contains(",}"));
        assertThat(helidon).anyMatch(l -> l.startsWith("se_gc_duration_seconds_max{"));

        // The element's writer over the same registry: the contract's series, exactly.
        String ours = SeMetricsTest.scrape(metrics);
        assertThat(ours).contains("se_gc_runs_total 1.0\n", "se_gc_duration_seconds_count 1\n",
                "se_http_requests_total{method=\"GET\",path=\"/api/v1/info\",status=\"200\"} 1.0\n");
        assertThat(ours).doesNotContain("scope=", "_max", ",}", SeMetrics.INSTANCE_TAG);
        assertThat(metrics.contentType()).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
    }
}
