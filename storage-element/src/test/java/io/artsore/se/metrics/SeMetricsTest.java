package io.artsore.se.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.metrics.api.Bucket;
import io.helidon.metrics.api.DistributionStatisticsConfig;
import io.helidon.metrics.api.DistributionSummary;
import io.helidon.metrics.api.Tag;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The exposition of the Helidon registry, byte for byte as the element exported it with the Prometheus Java
 * client before (the expected texts were produced by that client for the same events).
 */
class SeMetricsTest {
    private final List<SeMetrics> created = new ArrayList<>();

    @AfterEach
    void removeMeters() {
        created.forEach(SeMetrics::close);
    }

    @Test
    void unlabelledCountersAndHistogramsAreExportedFromTheStartAsBefore() throws Exception {
        SeMetrics m = metrics();
        m.gcRun(0.3, 2, 1);
        assertThat(scrape(m)).contains("""
                # HELP se_gc_duration_seconds GC run duration
                # TYPE se_gc_duration_seconds histogram
                se_gc_duration_seconds_bucket{le="0.005"} 0
                se_gc_duration_seconds_bucket{le="0.01"} 0
                se_gc_duration_seconds_bucket{le="0.025"} 0
                se_gc_duration_seconds_bucket{le="0.05"} 0
                se_gc_duration_seconds_bucket{le="0.1"} 0
                se_gc_duration_seconds_bucket{le="0.25"} 0
                se_gc_duration_seconds_bucket{le="0.5"} 1
                se_gc_duration_seconds_bucket{le="1.0"} 1
                se_gc_duration_seconds_bucket{le="2.5"} 1
                se_gc_duration_seconds_bucket{le="5.0"} 1
                se_gc_duration_seconds_bucket{le="10.0"} 1
                se_gc_duration_seconds_bucket{le="+Inf"} 1
                se_gc_duration_seconds_count 1
                se_gc_duration_seconds_sum 0.3
                # HELP se_gc_files_deleted_total Files physically removed by GC
                # TYPE se_gc_files_deleted_total counter
                se_gc_files_deleted_total 1.0
                # HELP se_gc_files_expired_total Files marked expired by GC
                # TYPE se_gc_files_expired_total counter
                se_gc_files_expired_total 2.0
                # HELP se_gc_runs_total GC runs
                # TYPE se_gc_runs_total counter
                se_gc_runs_total 1.0
                """, """
                # HELP se_reconcile_duration_seconds Reconciliation run duration
                # TYPE se_reconcile_duration_seconds histogram
                se_reconcile_duration_seconds_bucket{le="0.005"} 0
                """, """
                se_reconcile_duration_seconds_bucket{le="+Inf"} 0
                se_reconcile_duration_seconds_count 0
                se_reconcile_duration_seconds_sum 0.0
                # HELP se_reconcile_issues_total Reconciliation issues found, by type
                # TYPE se_reconcile_issues_total counter
                se_reconcile_issues_total{type="checksum_mismatch"} 0.0
                se_reconcile_issues_total{type="missing_file"} 0.0
                se_reconcile_issues_total{type="orphaned_attr"} 0.0
                se_reconcile_issues_total{type="orphaned_file"} 0.0
                se_reconcile_issues_total{type="size_mismatch"} 0.0
                # HELP se_reconcile_runs_total Reconciliation runs
                # TYPE se_reconcile_runs_total counter
                se_reconcile_runs_total 0.0
                """);
    }

    @Test
    void labelledSeriesAreSortedAndEscapedAsBefore() throws Exception {
        SeMetrics m = metrics();
        m.httpRequest("GET", "/api/v1/files/{file_id}", 200, 0.3);
        m.httpRequest("GET", "/a\"b\\c\nd", 404, 0.0004);
        String text = scrape(m);
        assertThat(text).contains("""
                # HELP se_http_requests_total HTTP requests by method, route template and status
                # TYPE se_http_requests_total counter
                se_http_requests_total{method="GET",path="/a\\"b\\\\c\\nd",status="404"} 1.0
                se_http_requests_total{method="GET",path="/api/v1/files/{file_id}",status="200"} 1.0
                """, """
                se_http_request_duration_seconds_bucket{method="GET",path="/a\\"b\\\\c\\nd",le="0.001"} 1
                """, """
                se_http_request_duration_seconds_bucket{method="GET",path="/a\\"b\\\\c\\nd",le="300.0"} 1
                se_http_request_duration_seconds_bucket{method="GET",path="/a\\"b\\\\c\\nd",le="+Inf"} 1
                se_http_request_duration_seconds_count{method="GET",path="/a\\"b\\\\c\\nd"} 1
                se_http_request_duration_seconds_sum{method="GET",path="/a\\"b\\\\c\\nd"} 4.0E-4
                se_http_request_duration_seconds_bucket{method="GET",path="/api/v1/files/{file_id}",le="0.001"} 0
                """, """
                se_http_request_duration_seconds_bucket{method="GET",path="/api/v1/files/{file_id}",le="0.25"} 0
                se_http_request_duration_seconds_bucket{method="GET",path="/api/v1/files/{file_id}",le="0.5"} 1
                """, """
                se_operations_total{operation="delete",result="error"} 0.0
                se_operations_total{operation="delete",result="success"} 0.0
                """);
        assertThat(text).doesNotContain("scope", SeMetrics.INSTANCE_TAG, "quantile", "_max");
    }

    @Test
    void gaugesReadTheirSourceAtScrapeTimeWithTheClientsNumberFormat() throws Exception {
        SeMetrics m = metrics();
        long[] used = {0};
        m.gauge("se_storage_bytes", "Capacity in bytes by type", Map.of("type", "used"), () -> used[0]);
        m.gauge("se_storage_bytes", "Capacity in bytes by type", Map.of("type", "total"), () -> 1073741824L);
        m.gauge("se_storage_bytes", "Capacity in bytes by type", Map.of("type", "available"), () -> 123456789012L);
        m.gauge("se_replica_epoch", "Leader epoch\nline2 \\ x", Map.of(), () -> 7);
        used[0] = 10;
        assertThat(scrape(m)).contains("""
                # HELP se_replica_epoch Leader epoch\\nline2 \\\\ x
                # TYPE se_replica_epoch gauge
                se_replica_epoch 7.0
                # HELP se_storage_bytes Capacity in bytes by type
                # TYPE se_storage_bytes gauge
                se_storage_bytes{type="available"} 1.23456789012E11
                se_storage_bytes{type="total"} 1.073741824E9
                se_storage_bytes{type="used"} 10.0
                """);
    }

    @Test
    void histogramCountsAreCumulativeAcrossScrapes() throws Exception {
        SeMetrics m = metrics();
        m.reconcileRun(0.02);
        scrape(m);
        m.reconcileRun(3);
        m.reconcileRun(0.02);
        assertThat(scrape(m)).contains("se_reconcile_duration_seconds_bucket{le=\"0.025\"} 2\n",
                "se_reconcile_duration_seconds_bucket{le=\"5.0\"} 3\n", "se_reconcile_duration_seconds_count 3\n");
    }

    @Test
    void instancesAreIsolatedAndARemovedGaugeDisappears() throws Exception {
        SeMetrics a = metrics();
        SeMetrics b = metrics();
        a.gcRun(1, 0, 0);
        a.gauge("se_mode_info", "mode", Map.of("mode", "edit"), () -> 1);
        b.gauge("se_mode_info", "mode", Map.of("mode", "edit"), () -> 0);
        assertThat(scrape(a)).contains("se_gc_runs_total 1.0\n", "se_mode_info{mode=\"edit\"} 1.0\n");
        assertThat(scrape(b)).contains("se_gc_runs_total 0.0\n", "se_mode_info{mode=\"edit\"} 0.0\n");

        b.removeGauge("se_mode_info", Map.of("mode", "edit"));
        assertThat(scrape(b)).doesNotContain("se_mode_info");
        a.close();
        assertThat(scrape(a)).isEmpty();
    }

    /**
     * Why the histograms are Helidon timers, not distribution summaries: on the Micrometer provider a summary
     * with fixed buckets counted 0.3 in the 1.0 bucket, not in the 0.5 one (the timer of the same values is
     * right, see {@link #unlabelledCountersAndHistogramsAreExportedFromTheStartAsBefore}).
     */
    @Test
    void helidonDistributionSummaryMisplacesFractionalValues() {
        SeMetrics m = metrics();
        DistributionSummary summary = m.registry().getOrCreate(DistributionSummary.builder(
                        "se_test_summary_" + UUID.randomUUID().toString().replace("-", ""),
                        DistributionStatisticsConfig.builder().buckets(0.1, 0.5, 1))
                .addTag(Tag.create(SeMetrics.INSTANCE_TAG, UUID.randomUUID().toString())));
        try {
            summary.record(0.3);
            List<String> counts = new ArrayList<>();
            for (Bucket b : summary.snapshot().histogramCounts()) {
                counts.add(b.boundary() + "=" + b.count());
            }
            assertThat(counts).containsExactly("0.1=0", "0.5=0", "1.0=1");
        } finally {
            m.registry().remove(summary);
        }
    }

    private SeMetrics metrics() {
        SeMetrics m = new SeMetrics();
        created.add(m);
        return m;
    }

    static String scrape(SeMetrics m) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.write(out);
        return out.toString(StandardCharsets.UTF_8);
    }
}
