package io.artsore.se.metrics;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Meter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;

/**
 * The element's metrics (docs/contract.md §11), with the contract's exact names, held in a Helidon metrics registry
 * (Micrometer provider). One instance per element. {@link #write} renders it with {@link PrometheusTextWriter},
 * not Helidon's own formatter: see docs/design.md (metrics) and {@code HelidonExpositionDifferenceTest} for why.
 *
 * <p>Helidon's Micrometer provider backs every registry it creates with Micrometer's one global registry, so
 * two instances in one JVM (tests, several elements) would share counters and the first instance's gauges.
 * Each instance therefore tags its meters with its own {@value #INSTANCE_TAG}; the exposition shows only the
 * instance's meters and never that tag. {@link #close} removes them.
 */
public final class SeMetrics implements AutoCloseable {
    static final String INSTANCE_TAG = "se_metrics_instance";

    /** Upper bounds (seconds) of histograms that do not name their own. */
    public static final double[] DEFAULT_BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    private static final double[] HTTP_BUCKETS =
            {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300};

    /**
     * Helidon's global registry, the one every Helidon component (an observer, too) would use: a second
     * Helidon registry over the same Micrometer registry deadlocked meter creation here (one thread holds
     * Micrometer's lock and waits for the other registry's, which holds its own and waits for Micrometer's).
     */
    private static final MeterRegistry REGISTRY = Metrics.globalRegistry();

    private final MeterRegistry registry = REGISTRY;
    private final Tag instance = Tag.create(INSTANCE_TAG, UUID.randomUUID().toString());
    /** The label names the element gave each family; Helidon's own tags (scope, app) are not among them. */
    private final Map<String, Set<String>> exportedLabels = new ConcurrentHashMap<>();

    private final Counters httpRequests;
    private final Histograms httpDuration;
    private final Counters operations;
    private final Counter gcRuns;
    private final Counter gcDeleted;
    private final Counter gcExpired;
    private final Histograms gcDuration;
    private final Counter reconcileRuns;
    private final Counters reconcileIssues;
    private final Histograms reconcileDuration;

    public SeMetrics() {
        httpRequests = counters("se_http_requests_total", "HTTP requests by method, route template and status",
                "method", "path", "status");
        httpDuration = histograms("se_http_request_duration_seconds",
                "HTTP request duration by method and route template", HTTP_BUCKETS, "method", "path");
        operations = counters("se_operations_total", "File operations by operation and result", "operation",
                "result");
        gcRuns = counter("se_gc_runs_total", "GC runs");
        gcDeleted = counter("se_gc_files_deleted_total", "Files physically removed by GC");
        gcExpired = counter("se_gc_files_expired_total", "Files marked expired by GC");
        gcDuration = histograms("se_gc_duration_seconds", "GC run duration", DEFAULT_BUCKETS);
        reconcileRuns = counter("se_reconcile_runs_total", "Reconciliation runs");
        reconcileIssues = counters("se_reconcile_issues_total", "Reconciliation issues found, by type", "type");
        reconcileDuration = histograms("se_reconcile_duration_seconds", "Reconciliation run duration",
                DEFAULT_BUCKETS);
        // Unlabelled histograms are exported (at 0) from the start, like the counters.
        gcDuration.child();
        reconcileDuration.child();
        // Every label value exists from the start (at 0), so rates and alerts work before the first event.
        for (String op : new String[] {"upload", "download", "update", "delete"}) {
            operations.child(op, "success");
            operations.child(op, "error");
        }
        for (String type : new String[] {"orphaned_file", "missing_file", "checksum_mismatch", "size_mismatch",
                "orphaned_attr"}) {
            reconcileIssues.child(type);
        }
    }

    public void httpRequest(String method, String pathTemplate, int status, double seconds) {
        httpRequests.child(method, pathTemplate, Integer.toString(status)).increment();
        httpDuration.observe(seconds, method, pathTemplate);
    }

    public void operation(String operation, boolean success) {
        operations.child(operation, success ? "success" : "error").increment();
    }

    public void gcRun(double seconds, long expired, long deleted) {
        gcRuns.increment();
        gcDuration.observe(seconds);
        gcExpired.increment(expired);
        gcDeleted.increment(deleted);
    }

    public void reconcileRun(double seconds) {
        reconcileRuns.increment();
        reconcileDuration.observe(seconds);
    }

    public void reconcileIssue(String type) {
        reconcileIssues.child(type).increment();
    }

    /** An unlabelled counter, exported (at 0) from now on. */
    public Counter counter(String name, String help) {
        return counters(name, help).child();
    }

    /** A counter family; each label-value combination is exported from its first use on. */
    public Counters counters(String name, String help, String... labelNames) {
        return new Counters(name, help, labelNames);
    }

    /** A histogram family in seconds; each label-value combination is exported from its first use on. */
    public Histograms histograms(String name, String help, double[] upperBoundsSeconds, String... labelNames) {
        return new Histograms(name, help, upperBoundsSeconds, labelNames);
    }

    /**
     * Registers (or finds) one gauge series whose value is read at scrape time, so it always equals its source.
     *
     * @param labels label name → value of this series (empty for an unlabelled gauge)
     */
    public void gauge(String name, String help, Map<String, String> labels, DoubleSupplier value) {
        Objects.requireNonNull(value, "value");
        registry.getOrCreate(Gauge.builder(name, value::getAsDouble).description(help).tags(tags(name, labels)));
    }

    /** Stops exporting one gauge series (for labels whose value changes, such as a status detail). */
    public void removeGauge(String name, Map<String, String> labels) {
        registry.remove(name, tags(name, labels));
    }

    String instanceId() {
        return instance.value();
    }

    /** The Helidon registry behind the exposition; for tests and diagnostics. */
    public MeterRegistry registry() {
        return registry;
    }

    public String contentType() {
        return PrometheusTextWriter.CONTENT_TYPE;
    }

    public void write(OutputStream out) throws IOException {
        new PrometheusTextWriter(name -> exportedLabels.getOrDefault(name, Set.of())).write(ownMeters(), out);
    }

    /** Removes this instance's meters from the process-wide registry (gauges hold their sources). */
    @Override
    public void close() {
        ownMeters().forEach(registry::remove);
    }

    private List<Meter> ownMeters() {
        return registry.meters().stream().filter(m -> instance.value().equals(m.id().tagsMap().get(INSTANCE_TAG)))
                .toList();
    }

    private List<Tag> tags(String name, Map<String, String> labels) {
        exportedLabels.putIfAbsent(name, Set.copyOf(labels.keySet()));
        List<Tag> tags = new ArrayList<>(labels.size() + 1);
        labels.forEach((k, v) -> tags.add(Tag.create(k, v)));
        tags.add(instance);
        return tags;
    }

    private List<Tag> tags(String name, String[] names, String[] values) {
        if (names.length != values.length) {
            throw new IllegalArgumentException("expected label values for " + Arrays.toString(names) + ", got "
                    + Arrays.toString(values));
        }
        exportedLabels.putIfAbsent(name, Set.of(names));
        List<Tag> tags = new ArrayList<>(names.length + 1);
        for (int i = 0; i < names.length; i++) {
            tags.add(Tag.create(names[i], Objects.requireNonNull(values[i], names[i])));
        }
        tags.add(instance);
        return tags;
    }

    /** A counter family. Children are cached so a hot path does not build a meter id per event. */
    public final class Counters {
        private final String name;
        private final String help;
        private final String[] labelNames;
        private final Map<List<String>, Counter> children = new ConcurrentHashMap<>();

        private Counters(String name, String help, String[] labelNames) {
            this.name = name;
            this.help = help;
            this.labelNames = labelNames.clone();
        }

        public Counter child(String... labelValues) {
            return children.computeIfAbsent(List.of(labelValues), k -> registry.getOrCreate(
                    Counter.builder(name).description(help).tags(tags(name, labelNames, labelValues))));
        }
    }

    /**
     * A histogram family in seconds, kept as Helidon timers: their snapshots give cumulative counts per fixed
     * bound. (Helidon's distribution summary was not used: on Micrometer it put fractional values such as
     * 0.3 above a 0.5 bound, see {@code SeMetricsTest}.)
     */
    public final class Histograms {
        private final String name;
        private final String help;
        private final Duration[] bounds;
        private final String[] labelNames;
        private final Map<List<String>, Timer> children = new ConcurrentHashMap<>();

        private Histograms(String name, String help, double[] upperBoundsSeconds, String[] labelNames) {
            this.name = name;
            this.help = help;
            this.bounds = Arrays.stream(upperBoundsSeconds).sorted()
                    .mapToObj(s -> Duration.ofNanos(Math.round(s * 1e9))).toArray(Duration[]::new);
            this.labelNames = labelNames.clone();
        }

        public void observe(double seconds, String... labelValues) {
            child(labelValues).record(Duration.ofNanos(Math.max(0, Math.round(seconds * 1e9))));
        }

        Timer child(String... labelValues) {
            // No percentiles: only the bucket counts are exported, so the quantile sketches would be wasted.
            return children.computeIfAbsent(List.of(labelValues), k -> registry.getOrCreate(
                    Timer.builder(name).description(help).tags(tags(name, labelNames, labelValues)).buckets(bounds)
                            .percentiles(new double[0])));
        }
    }
}
