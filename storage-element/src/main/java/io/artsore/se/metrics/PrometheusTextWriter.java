package io.artsore.se.metrics;

import io.helidon.metrics.api.Bucket;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.HistogramSnapshot;
import io.helidon.metrics.api.Meter;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Prometheus text format 0.0.4 of a Helidon registry, byte-compatible with what the element exported before
 * (Prometheus Java client): meter names exactly as registered, label names sorted, no Helidon scope label, no
 * quantile or {@code _max} series. Families are sorted by name and series by labels, so a scrape is
 * deterministic.
 */
final class PrometheusTextWriter {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final Function<String, Set<String>> labelNames;

    /**
     * @param labelNames the label names a family exports; other tags (Helidon's scope, bookkeeping) are not
     *                   labels of the contract and stay out
     */
    PrometheusTextWriter(Function<String, Set<String>> labelNames) {
        this.labelNames = labelNames;
    }

    void write(List<Meter> meters, OutputStream out) throws IOException {
        Map<String, List<Series>> families = new TreeMap<>();
        for (Meter m : meters) {
            families.computeIfAbsent(m.id().name(), k -> new ArrayList<>()).add(new Series(m, labels(m)));
        }
        Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
        for (Map.Entry<String, List<Series>> family : families.entrySet()) {
            writeFamily(w, family.getKey(), family.getValue());
        }
        w.flush();
    }

    private void writeFamily(Writer w, String name, List<Series> series) throws IOException {
        series.sort(Comparator.comparing(Series::sortKey));
        Meter first = series.getFirst().meter();
        String type = switch (first) {
            case Counter c -> "counter";
            case Gauge<?> g -> "gauge";
            case Timer t -> "histogram";
            default -> null; // kinds the element does not register
        };
        if (type == null) {
            return;
        }
        w.write("# HELP " + name + " " + escapeHelp(first.description().orElse("")) + "\n");
        w.write("# TYPE " + name + " " + type + "\n");
        for (Series s : series) {
            switch (s.meter()) {
                case Counter c -> sample(w, name, s.labels(), null, formatDouble(c.count()));
                case Gauge<?> g -> sample(w, name, s.labels(), null, formatDouble(g.value().doubleValue()));
                case Timer t -> histogram(w, name, s.labels(), t.snapshot());
                default -> { }
            }
        }
    }

    private static void histogram(Writer w, String name, Map<String, String> labels, HistogramSnapshot snapshot)
            throws IOException {
        // One snapshot, so the buckets, the count and the sum agree with each other.
        for (Bucket b : snapshot.histogramCounts()) {
            sample(w, name + "_bucket", labels, formatDouble(b.boundary(TimeUnit.SECONDS)),
                    Long.toString(b.count()));
        }
        sample(w, name + "_bucket", labels, "+Inf", Long.toString(snapshot.count()));
        sample(w, name + "_count", labels, null, Long.toString(snapshot.count()));
        sample(w, name + "_sum", labels, null, formatDouble(snapshot.total(TimeUnit.SECONDS)));
    }

    private static void sample(Writer w, String name, Map<String, String> labels, String le, String value)
            throws IOException {
        w.write(name);
        if (!labels.isEmpty() || le != null) {
            w.write('{');
            boolean firstLabel = true;
            for (Map.Entry<String, String> l : labels.entrySet()) {
                if (!firstLabel) {
                    w.write(',');
                }
                firstLabel = false;
                w.write(l.getKey() + "=\"" + escapeLabelValue(l.getValue()) + '"');
            }
            if (le != null) {
                w.write((firstLabel ? "" : ",") + "le=\"" + le + '"');
            }
            w.write('}');
        }
        w.write(' ');
        w.write(value);
        w.write('\n');
    }

    private Map<String, String> labels(Meter m) {
        Set<String> exported = labelNames.apply(m.id().name());
        Map<String, String> labels = new TreeMap<>();
        for (Tag t : m.id().tags()) {
            if (exported.contains(t.key())) {
                labels.put(t.key(), t.value());
            }
        }
        return labels;
    }

    static String formatDouble(double d) {
        if (d == Double.POSITIVE_INFINITY) {
            return "+Inf";
        }
        if (d == Double.NEGATIVE_INFINITY) {
            return "-Inf";
        }
        return Double.toString(d);
    }

    private static String escapeHelp(String s) {
        return s.replace("\\", "\\\\").replace("\n", "\\n");
    }

    private static String escapeLabelValue(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private record Series(Meter meter, Map<String, String> labels) {
        /** Label values in label-name order, NUL-separated so that no value can run into the next. */
        String sortKey() {
            StringBuilder b = new StringBuilder();
            labels.forEach((k, v) -> b.append(k).append('\0').append(v).append('\0'));
            return b.toString();
        }
    }
}
