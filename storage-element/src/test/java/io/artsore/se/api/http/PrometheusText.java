package io.artsore.se.api.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Just enough of the Prometheus text format to read samples and metric types in tests. */
final class PrometheusText {
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+).*$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    record Sample(String name, Map<String, String> labels, double value) {
    }

    private final List<Sample> samples = new ArrayList<>();
    private final Map<String, String> types = new LinkedHashMap<>();

    PrometheusText(String text) {
        for (String line : text.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.split(" ");
                types.put(parts[2], parts[3]);
            } else if (!line.isBlank() && !line.startsWith("#")) {
                Matcher m = SAMPLE.matcher(line);
                if (m.matches()) {
                    Map<String, String> labels = new LinkedHashMap<>();
                    if (m.group(3) != null) {
                        Matcher l = LABEL.matcher(m.group(3));
                        while (l.find()) {
                            labels.put(l.group(1), l.group(2));
                        }
                    }
                    samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(4))));
                }
            }
        }
    }

    Map<String, String> types() {
        return types;
    }

    List<Sample> samples(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }

    /** The value of the sample with exactly these labels (among others); empty if absent. */
    Optional<Double> value(String name, Map<String, String> labels) {
        return samples(name).stream()
                .filter(s -> s.labels().entrySet().containsAll(labels.entrySet()))
                .map(Sample::value)
                .reduce(Double::sum);
    }
}
