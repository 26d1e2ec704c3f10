package io.artsore.e2e.loadgen;

import java.util.Locale;
import java.util.Map;

/**
 * Results of one run: per operation type the successful ops, errors, payload bytes and latency
 * percentiles, with rates over the measured phase. MB/s is decimal (10^6 bytes), like dd prints.
 */
public record Report(Map<String, String> settings, double elapsedSeconds, Map<OpType, OpStats> stats,
                     Map<String, Long> errorSamples) {

    public OpStats get(OpType op) {
        return stats.get(op);
    }

    public long totalOps() {
        return stats.values().stream().mapToLong(OpStats::ops).sum();
    }

    public long totalErrors() {
        return stats.values().stream().mapToLong(OpStats::errors).sum();
    }

    public String toText() {
        StringBuilder b = new StringBuilder();
        b.append("settings: ").append(settings).append('\n');
        b.append(String.format(Locale.ROOT, "elapsed: %.3f s%n", elapsedSeconds));
        b.append(String.format(Locale.ROOT, "%-9s %10s %8s %10s %9s %9s %9s %9s %9s%n",
                "op", "ops", "errors", "ops/s", "MB/s", "p50 ms", "p90 ms", "p99 ms", "max ms"));
        stats.forEach((op, s) -> {
            if (s.ops() + s.errors() > 0) {
                LatencyHistogram h = s.latency();
                b.append(String.format(Locale.ROOT, "%-9s %10d %8d %10.1f %9.2f %9.3f %9.3f %9.3f %9.3f%n",
                        op.label(), s.ops(), s.errors(), s.ops() / elapsedSeconds, s.bytes() / elapsedSeconds / 1e6,
                        ms(h.percentileMicros(0.50)), ms(h.percentileMicros(0.90)), ms(h.percentileMicros(0.99)),
                        ms(h.maxMicros())));
            }
        });
        b.append(String.format(Locale.ROOT, "total: %d ops, %d errors, %.1f ops/s%n",
                totalOps(), totalErrors(), totalOps() / elapsedSeconds));
        errorSamples.forEach((message, count) -> b.append("error x").append(count).append(": ").append(message).append('\n'));
        return b.toString();
    }

    public String toJson() {
        StringBuilder b = new StringBuilder("{\n  \"settings\": {");
        String sep = "";
        for (Map.Entry<String, String> e : settings.entrySet()) {
            b.append(sep).append(JsonFields.quote(e.getKey())).append(": ").append(JsonFields.quote(e.getValue()));
            sep = ", ";
        }
        b.append("},\n  \"elapsed_seconds\": ").append(num(elapsedSeconds)).append(",\n  \"operations\": {");
        sep = "";
        for (Map.Entry<OpType, OpStats> e : stats.entrySet()) {
            OpStats s = e.getValue();
            if (s.ops() + s.errors() == 0) {
                continue;
            }
            LatencyHistogram h = s.latency();
            b.append(sep).append("\n    ").append(JsonFields.quote(e.getKey().label())).append(": {")
                    .append("\"ops\": ").append(s.ops())
                    .append(", \"errors\": ").append(s.errors())
                    .append(", \"bytes\": ").append(s.bytes())
                    .append(", \"ops_per_second\": ").append(num(s.ops() / elapsedSeconds))
                    .append(", \"mb_per_second\": ").append(num(s.bytes() / elapsedSeconds / 1e6))
                    .append(", \"latency_ms\": {\"p50\": ").append(num(ms(h.percentileMicros(0.50))))
                    .append(", \"p90\": ").append(num(ms(h.percentileMicros(0.90))))
                    .append(", \"p99\": ").append(num(ms(h.percentileMicros(0.99))))
                    .append(", \"max\": ").append(num(ms(h.maxMicros()))).append("}}");
            sep = ",";
        }
        b.append("\n  },\n  \"total_ops\": ").append(totalOps())
                .append(",\n  \"total_errors\": ").append(totalErrors())
                .append(",\n  \"errors\": {");
        sep = "";
        for (Map.Entry<String, Long> e : errorSamples.entrySet()) {
            b.append(sep).append(JsonFields.quote(e.getKey())).append(": ").append(e.getValue());
            sep = ", ";
        }
        return b.append("}\n}\n").toString();
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
