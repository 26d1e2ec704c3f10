package io.artsore.e2e.charts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The monitoring pack as rendered: alert expressions, dashboard queries and the metric names they use. */
final class MonitoringPack {

    static final String ELEMENT_CHART = "storage-element";
    static final String OPERATOR_CHART = "storage-element-operator";

    /** Every switch of the element chart's pack on, replicated and with TLS: the most alerts get rendered. */
    static final Map<String, Object> ELEMENT_ALL_ON = Map.of("replicaMode", "replicated",
            "metrics.podMonitor.enabled", true, "metrics.prometheusRule.enabled", true,
            "metrics.dashboard.enabled", true);
    static final Map<String, Object> OPERATOR_ALL_ON = Map.of("metrics.serviceMonitor.enabled", true,
            "metrics.prometheusRule.enabled", true);

    /**
     * Metric names of the element (se_*, and the topologymetrics app_dependency_* family) and of the operator
     * (java-operator-sdk's operator_sdk_*). Other names in the expressions are Prometheus' own (up) or
     * kube-state-metrics' (kube_pod_status_ready); nothing of ours exports them.
     */
    private static final Pattern OUR_METRIC = Pattern.compile(
            "(?<![A-Za-z0-9_:\"])((?:se|app_dependency|operator_sdk)_[a-z0-9_]+)(?=\\s*[{\\[)]|\\s|$)");
    private static final ObjectMapper JSON = new ObjectMapper();

    private MonitoringPack() {
    }

    /** alert name -> expression, in rendering order. */
    static Map<String, String> alerts(Rendered rendered) {
        Map<String, String> alerts = new LinkedHashMap<>();
        for (GenericKubernetesResource rule : rendered.custom("PrometheusRule")) {
            for (Object group : list(rule.get("spec", "groups"))) {
                for (Object r : list(((Map<?, ?>) group).get("rules"))) {
                    Map<?, ?> ruleMap = (Map<?, ?>) r;
                    if (alerts.put(ruleMap.get("alert").toString(), ruleMap.get("expr").toString()) != null) {
                        throw new AssertionError("alert " + ruleMap.get("alert") + " is defined twice");
                    }
                }
            }
        }
        return alerts;
    }

    static JsonNode dashboard(Rendered rendered) {
        List<ConfigMap> maps = rendered.all(ConfigMap.class).stream()
                .filter(c -> c.getMetadata().getName().endsWith("-dashboard")).toList();
        if (maps.size() != 1) {
            throw new AssertionError("expected one dashboard ConfigMap, got " + rendered.names());
        }
        try {
            return JSON.readTree(maps.getFirst().getData().values().iterator().next());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** panel title -> its query expressions (row panels, which hold no query, left out). */
    static Map<String, List<String>> panelQueries(JsonNode dashboard) {
        Map<String, List<String>> queries = new LinkedHashMap<>();
        for (JsonNode panel : dashboard.path("panels")) {
            if (!"row".equals(panel.path("type").asText())) {
                List<String> exprs = new ArrayList<>();
                panel.path("targets").forEach(t -> exprs.add(t.path("expr").asText()));
                queries.put(panel.path("title").asText(), exprs);
            }
        }
        return queries;
    }

    /** The queries of the dashboard's variables (namespace, element). */
    static List<String> variableQueries(JsonNode dashboard) {
        List<String> queries = new ArrayList<>();
        dashboard.path("templating").path("list").forEach(v -> {
            if ("query".equals(v.path("type").asText())) {
                queries.add(v.path("query").path("query").asText());
            }
        });
        return queries;
    }

    static Set<String> ourMetricNames(Iterable<String> expressions) {
        Set<String> names = new TreeSet<>();
        for (String expr : expressions) {
            Matcher m = OUR_METRIC.matcher(expr);
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    /** Every expression of the element chart's pack with all switches on: alerts, panels, variables. */
    static List<String> elementExpressions() {
        Rendered r = Charts.template(ELEMENT_CHART, ELEMENT_ALL_ON);
        List<String> all = new ArrayList<>(alerts(r).values());
        JsonNode dashboard = dashboard(r);
        panelQueries(dashboard).values().forEach(all::addAll);
        all.addAll(variableQueries(dashboard));
        return all;
    }

    static List<String> operatorExpressions() {
        return List.copyOf(alerts(Charts.template(OPERATOR_CHART, OPERATOR_ALL_ON)).values());
    }

    private static List<?> list(Object o) {
        return o instanceof List<?> l ? l : List.of();
    }
}
