package io.artsore.se.metrics;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.util.function.Consumer;

/**
 * The element's Prometheus metrics (docs/contract.md §11), with the contract's exact names. One instance per
 * process; the registry is private so tests can create isolated instances.
 */
public final class SeMetrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    private final Counter httpRequests = Counter.builder().name("se_http_requests_total")
            .help("HTTP requests by method, route template and status").labelNames("method", "path", "status")
            .register(registry);
    private final Histogram httpDuration = Histogram.builder().name("se_http_request_duration_seconds")
            .help("HTTP request duration by method and route template").labelNames("method", "path")
            .classicUpperBounds(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300)
            .register(registry);
    private final Counter operations = Counter.builder().name("se_operations_total")
            .help("File operations by operation and result").labelNames("operation", "result")
            .register(registry);
    private final Counter gcRuns = Counter.builder().name("se_gc_runs_total").help("GC runs").register(registry);
    private final Counter gcDeleted = Counter.builder().name("se_gc_files_deleted_total")
            .help("Files physically removed by GC").register(registry);
    private final Counter gcExpired = Counter.builder().name("se_gc_files_expired_total")
            .help("Files marked expired by GC").register(registry);
    private final Histogram gcDuration = Histogram.builder().name("se_gc_duration_seconds")
            .help("GC run duration").register(registry);
    private final Counter reconcileRuns = Counter.builder().name("se_reconcile_runs_total")
            .help("Reconciliation runs").register(registry);
    private final Counter reconcileIssues = Counter.builder().name("se_reconcile_issues_total")
            .help("Reconciliation issues found, by type").labelNames("type").register(registry);
    private final Histogram reconcileDuration = Histogram.builder().name("se_reconcile_duration_seconds")
            .help("Reconciliation run duration").register(registry);

    public SeMetrics() {
        // Every label value exists from the start (at 0), so rates and alerts work before the first event.
        for (String op : new String[] {"upload", "download", "update", "delete"}) {
            operations.labelValues(op, "success");
            operations.labelValues(op, "error");
        }
        for (String type : new String[] {"orphaned_file", "missing_file", "checksum_mismatch", "size_mismatch",
                "orphaned_attr"}) {
            reconcileIssues.labelValues(type);
        }
    }

    public void httpRequest(String method, String pathTemplate, int status, double seconds) {
        httpRequests.labelValues(method, pathTemplate, Integer.toString(status)).inc();
        httpDuration.labelValues(method, pathTemplate).observe(seconds);
    }

    public void operation(String operation, boolean success) {
        operations.labelValues(operation, success ? "success" : "error").inc();
    }

    public void gcRun(double seconds, long expired, long deleted) {
        gcRuns.inc();
        gcDuration.observe(seconds);
        gcExpired.inc(expired);
        gcDeleted.inc(deleted);
    }

    public void reconcileRun(double seconds) {
        reconcileRuns.inc();
        reconcileDuration.observe(seconds);
    }

    public void reconcileIssue(String type) {
        reconcileIssues.labelValues(type).inc();
    }

    /** Registers a gauge whose values are read at scrape time, so it always equals its source. */
    public void callbackGauge(String name, String help, String labelName,
            Consumer<GaugeWithCallback.Callback> callback) {
        GaugeWithCallback.Builder b = GaugeWithCallback.builder().name(name).help(help).callback(callback);
        if (labelName != null) {
            b.labelNames(labelName);
        }
        b.register(registry);
    }

    /** For collaborators (dependency health, replication) that define their own metric families. */
    public PrometheusRegistry registry() {
        return registry;
    }

    public String contentType() {
        return writer.getContentType();
    }

    public void write(OutputStream out) throws IOException {
        writer.write(out, registry.scrape(), EscapingScheme.ALLOW_UTF8);
    }
}
