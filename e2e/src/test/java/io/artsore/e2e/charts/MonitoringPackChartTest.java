package io.artsore.e2e.charts;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.artsore.e2e.charts.MonitoringPack.ELEMENT_ALL_ON;
import static io.artsore.e2e.charts.MonitoringPack.ELEMENT_CHART;
import static io.artsore.e2e.charts.MonitoringPack.OPERATOR_ALL_ON;
import static io.artsore.e2e.charts.MonitoringPack.OPERATOR_CHART;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The monitoring pack (PodMonitor/ServiceMonitor, PrometheusRule, Grafana dashboard): off by default, and
 * when on, selecting exactly the pods the charts run. Metric names: {@link MonitoringMetricNamesTest}.
 */
class MonitoringPackChartTest {

    private static final String ELEMENT = "storage-element-se-01";
    private static final String OPERATOR = "rel-storage-element-operator";
    private static final String SELECTOR = "namespace=\"artsore\",storage_id=\"se-01\"";

    @Test
    void nothingOfThePackIsRenderedByDefault() {
        Rendered element = Charts.template(ELEMENT_CHART, Map.of("replicaMode", "replicated"));
        assertThat(element.custom("PodMonitor")).isEmpty();
        assertThat(element.custom("ServiceMonitor")).isEmpty();
        assertThat(element.custom("PrometheusRule")).isEmpty();
        assertThat(element.all(ConfigMap.class)).isEmpty();

        Rendered operator = Charts.template(OPERATOR_CHART, Map.of());
        assertThat(operator.custom("ServiceMonitor")).isEmpty();
        assertThat(operator.custom("PrometheusRule")).isEmpty();
    }

    @Test
    void eachSwitchRendersOnlyItsOwnObject() {
        assertThat(Charts.template(ELEMENT_CHART, Map.of("metrics.podMonitor.enabled", true)).names())
                .contains("PodMonitor/" + ELEMENT).noneMatch(n -> n.startsWith("PrometheusRule/"))
                .noneMatch(n -> n.startsWith("ConfigMap/"));
        assertThat(Charts.template(ELEMENT_CHART, Map.of("metrics.prometheusRule.enabled", true)).names())
                .contains("PrometheusRule/" + ELEMENT).noneMatch(n -> n.startsWith("PodMonitor/"))
                .noneMatch(n -> n.startsWith("ConfigMap/"));
        assertThat(Charts.template(ELEMENT_CHART, Map.of("metrics.dashboard.enabled", true)).names())
                .contains("ConfigMap/" + ELEMENT + "-dashboard").noneMatch(n -> n.startsWith("PodMonitor/"))
                .noneMatch(n -> n.startsWith("PrometheusRule/"));
        assertThat(Charts.template(OPERATOR_CHART, Map.of("metrics.prometheusRule.enabled", true)).names())
                .contains("PrometheusRule/" + OPERATOR).noneMatch(n -> n.startsWith("ServiceMonitor/"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"standalone", "replicated"})
    void podMonitorSelectsTheElementPodsOnTheirNamedPortOverVerifiedTls(String replicaMode) {
        Rendered r = Charts.template(ELEMENT_CHART, Map.of("replicaMode", replicaMode,
                "metrics.podMonitor.enabled", true, "metrics.podMonitor.labels.release", "prom"));
        PodTemplateSpec pods = "standalone".equals(replicaMode)
                ? r.one(Deployment.class, ELEMENT).getSpec().getTemplate()
                : r.one(StatefulSet.class, ELEMENT).getSpec().getTemplate();

        GenericKubernetesResource monitor = r.custom("PodMonitor").getFirst();
        assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "prom");
        Map<String, String> matchLabels = stringMap(monitor.get("spec", "selector", "matchLabels"));
        assertThat(pods.getMetadata().getLabels()).containsAllEntriesOf(matchLabels);
        assertThat(matchLabels).containsKey("artsore.io/storage-id"); // not the other elements of the release
        assertThat(list(monitor.get("spec", "namespaceSelector", "matchNames"))).containsExactly("artsore");

        Map<?, ?> endpoint = (Map<?, ?>) list(monitor.get("spec", "podMetricsEndpoints")).getFirst();
        List<String> portNames = pods.getSpec().getContainers().getFirst().getPorts().stream()
                .map(ContainerPort::getName).toList();
        assertThat(portNames).contains(endpoint.get("port").toString());
        assertThat(endpoint.get("path")).isEqualTo("/metrics");
        assertThat(endpoint.get("scheme")).isEqualTo("https");
        Map<?, ?> tls = (Map<?, ?>) endpoint.get("tlsConfig");
        assertThat(tls.get("serverName")).isEqualTo(ELEMENT + ".artsore.svc");
        assertThat(tls.containsKey("insecureSkipVerify")).isFalse();
        Map<?, ?> caSecret = (Map<?, ?>) ((Map<?, ?>) tls.get("ca")).get("secret");
        String podSecret = pods.getSpec().getVolumes().stream().filter(v -> v.getSecret() != null).findFirst()
                .orElseThrow().getSecret().getSecretName();
        assertThat(caSecret.get("name")).isEqualTo(podSecret);
        assertThat(caSecret.get("key")).isEqualTo("ca.crt");
        // the storage_id label every alert and the dashboard select by
        assertThat(list(endpoint.get("relabelings"))).anySatisfy(relabel -> {
            assertThat(((Map<?, ?>) relabel).get("targetLabel")).isEqualTo("storage_id");
            assertThat(list(((Map<?, ?>) relabel).get("sourceLabels")))
                    .containsExactly("__meta_kubernetes_pod_label_artsore_io_storage_id");
        });
    }

    /** The test stand: one PodMonitor for all its elements (not the JWKS mock), labelled like the element chart's. */
    @Test
    void seTestPodMonitorSelectsEveryElementOfTheStandOnly() {
        assertThat(Charts.template("se-test", Map.of()).custom("PodMonitor")).isEmpty();
        Rendered r = Charts.template("se-test", Map.of("podMonitor.enabled", true));
        GenericKubernetesResource monitor = r.custom("PodMonitor").getFirst();
        Map<String, String> matchLabels = stringMap(monitor.get("spec", "selector", "matchLabels"));

        List<PodTemplateSpec> templates = new java.util.ArrayList<>();
        r.all(Deployment.class).forEach(d -> templates.add(d.getSpec().getTemplate()));
        r.all(StatefulSet.class).forEach(s -> templates.add(s.getSpec().getTemplate()));
        List<PodTemplateSpec> elements = templates.stream().filter(t -> t.getSpec().getContainers().stream()
                .anyMatch(c -> c.getName().equals("storage-element"))).toList();
        assertThat(elements).hasSizeGreaterThan(1);
        assertThat(templates).allSatisfy(t -> assertThat(
                t.getMetadata().getLabels().entrySet().containsAll(matchLabels.entrySet()))
                .as("selected: %s", t.getMetadata().getLabels()).isEqualTo(elements.contains(t)));

        Map<?, ?> endpoint = (Map<?, ?>) list(monitor.get("spec", "podMetricsEndpoints")).getFirst();
        assertThat(elements).allSatisfy(t -> assertThat(t.getSpec().getContainers().getFirst().getPorts())
                .anyMatch(p -> p.getName().equals(endpoint.get("port"))));
        Map<?, ?> caSecret = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) endpoint.get("tlsConfig")).get("ca")).get("secret");
        assertThat(caSecret.get("name")).isEqualTo("se-test-tls");
        assertThat(list(endpoint.get("relabelings"))).anySatisfy(relabel ->
                assertThat(((Map<?, ?>) relabel).get("targetLabel")).isEqualTo("storage_id"));
    }

    @Test
    void podMonitorScrapesPlainHttpWithoutTlsConfigInDevelopmentMode() {
        Map<?, ?> endpoint = (Map<?, ?>) list(Charts.template(ELEMENT_CHART, Map.of("tls.devInsecureHttp", true,
                "metrics.podMonitor.enabled", true)).custom("PodMonitor").getFirst()
                .get("spec", "podMetricsEndpoints")).getFirst();
        assertThat(endpoint.get("scheme")).isEqualTo("http");
        assertThat(endpoint.containsKey("tlsConfig")).isFalse();
    }

    @Test
    void alertsCoverTheElementsFailureModesAndSelectOnlyThisElement() {
        Map<String, String> replicated = MonitoringPack.alerts(Charts.template(ELEMENT_CHART, ELEMENT_ALL_ON));
        assertThat(replicated).containsOnlyKeys("StorageElementDown", "StorageElementNotReady",
                "StorageElementCapacityHigh", "StorageElementStorageFull", "StorageElementWritesFailing",
                "StorageElementJwksUnreachable", "StorageElementReconcileIssues", "StorageElementChecksumMismatch",
                "StorageElementCertificateExpiringSoon", "StorageElementCertificateReloadRefused",
                "StorageElementLeaderFlapping", "StorageElementNoLeader");
        replicated.forEach((alert, expr) -> {
            if (!alert.equals("StorageElementNotReady")) {
                assertThat(expr).as(alert).contains(SELECTOR);
            }
            assertThat(expr).as(alert).doesNotContain("{{", "}}", "<no value>");
        });
        assertThat(replicated.get("StorageElementCertificateExpiringSoon"))
                .contains("se_tls_certificate_expiry_timestamp_seconds").contains("< 1209600"); // 14 days
        assertThat(replicated.get("StorageElementCapacityHigh")).endsWith("> 0.85");
        assertThat(replicated.get("StorageElementLeaderFlapping")).contains("changes(se_replica_epoch").endsWith("> 2");

        // standalone: no leader alerts; plain HTTP: no certificate alerts
        assertThat(MonitoringPack.alerts(Charts.template(ELEMENT_CHART, Map.of(
                "metrics.prometheusRule.enabled", true, "tls.devInsecureHttp", true))))
                .doesNotContainKeys("StorageElementLeaderFlapping", "StorageElementNoLeader",
                        "StorageElementCertificateExpiringSoon", "StorageElementCertificateReloadRefused")
                .containsKeys("StorageElementDown", "StorageElementJwksUnreachable");
    }

    @Test
    void thresholdsAndSelectorAreValues(@TempDir Path dir) throws Exception {
        // a values file: --set would pass the threshold as a string, which the schema refuses
        Path values = Files.writeString(dir.resolve("values.yaml"), """
                metrics:
                  prometheusRule:
                    enabled: true
                    selector: 'job="se"'
                    capacityThreshold: 0.9
                    certificateExpiryDays: 7
                """);
        Map<String, String> alerts = MonitoringPack.alerts(Charts.template(ELEMENT_CHART, Map.of(), values));
        assertThat(alerts.get("StorageElementCapacityHigh")).contains("job=\"se\"").endsWith("> 0.9")
                .doesNotContain("storage_id=");
        assertThat(alerts.get("StorageElementCertificateExpiringSoon")).contains("< 604800");
    }

    /** The readiness alert matches pods by name: the Deployment's and the StatefulSet's, not another element's. */
    @Test
    void notReadyAlertMatchesThisElementsPodNamesOnly() {
        String expr = MonitoringPack.alerts(Charts.template(ELEMENT_CHART, ELEMENT_ALL_ON))
                .get("StorageElementNotReady");
        Matcher m = Pattern.compile("pod=~\"([^\"]+)\"").matcher(expr);
        assertThat(m.find()).isTrue();
        Pattern pods = Pattern.compile(m.group(1)); // PromQL regexes are fully anchored, like matches()
        assertThat(expr).contains("namespace=\"artsore\"").contains("kube_pod_status_ready");
        assertThat(List.of(ELEMENT + "-0", ELEMENT + "-12", ELEMENT + "-5d8f7c9b4-x2k9q"))
                .allMatch(name -> pods.matcher(name).matches());
        assertThat(List.of(ELEMENT + "-b-0", "storage-element-se-011-0", ELEMENT + "-dashboard"))
                .noneMatch(name -> pods.matcher(name).matches());
    }

    @Test
    void dashboardConfigMapCarriesTheSidecarLabelAndAValidDashboard() {
        Rendered r = Charts.template(ELEMENT_CHART, Map.of("metrics.dashboard.enabled", true));
        ConfigMap cm = r.one(ConfigMap.class, ELEMENT + "-dashboard");
        assertThat(cm.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        JsonNode dashboard = MonitoringPack.dashboard(r);
        assertThat(dashboard.path("uid").asText()).isEqualTo("artsore-storage-element");
        Map<String, List<String>> panels = MonitoringPack.panelQueries(dashboard);
        assertThat(panels).containsKeys("Requests/s by status", "Latency quantiles", "Capacity used", "Mode",
                "Leader", "Leader epoch", "GC", "Reconciliation", "Scrub");
        panels.forEach((title, exprs) -> {
            assertThat(exprs).as(title).isNotEmpty();
            exprs.forEach(e -> assertThat(e).as(title).contains("storage_id=\"$storage_id\""));
        });
        assertThat(String.join("\n", panels.get("Latency quantiles")))
                .contains("histogram_quantile(0.99", "se_http_request_duration_seconds_bucket");

        // the label is overridable (another sidecar configuration)
        ConfigMap relabelled = Charts.template(ELEMENT_CHART, Map.of("metrics.dashboard.enabled", true,
                "metrics.dashboard.labels.grafana_dashboard", "artsore")).one(ConfigMap.class, ELEMENT + "-dashboard");
        assertThat(relabelled.getMetadata().getLabels()).containsEntry("grafana_dashboard", "artsore");
    }

    @Test
    void dashboardInTheConfigMapIsTheChartFile() throws Exception {
        String file = Files.readString(Charts.chartDir(ELEMENT_CHART).resolve(Path.of("files", "dashboard.json")));
        ConfigMap cm = Charts.template(ELEMENT_CHART, Map.of("metrics.dashboard.enabled", true))
                .one(ConfigMap.class, ELEMENT + "-dashboard");
        assertThat(cm.getData()).containsOnlyKeys("artsore-storage-element.json");
        assertThat(cm.getData().get("artsore-storage-element.json").strip()).isEqualTo(file.strip());
    }

    /**
     * The metric-name extraction MonitoringMetricNamesTest relies on misses no name: every token that looks like
     * one of ours (also where the strict pattern would not expect a metric) is among the extracted names.
     */
    @Test
    void metricNameExtractionFindsEveryNameOfOurs() {
        List<String> expressions = new java.util.ArrayList<>(MonitoringPack.elementExpressions());
        expressions.addAll(MonitoringPack.operatorExpressions());
        java.util.Set<String> loose = new java.util.TreeSet<>();
        Matcher m = Pattern.compile("(?<![A-Za-z0-9_])(?:se|app_dependency|operator_sdk)_[a-z0-9_]+")
                .matcher(String.join("\n", expressions));
        while (m.find()) {
            loose.add(m.group());
        }
        assertThat(MonitoringPack.ourMetricNames(expressions)).isEqualTo(loose).hasSizeGreaterThan(20);
    }

    /** Grafana is not installable here: the README's panel table is the reviewable form, so it must not drift. */
    @Test
    void readmeTableListsEveryPanelWithItsQueries() throws Exception {
        String readme = Files.readString(Charts.chartDir(ELEMENT_CHART).resolve("README.md"));
        JsonNode dashboard = MonitoringPack.dashboard(Charts.template(ELEMENT_CHART, Map.of(
                "metrics.dashboard.enabled", true)));
        String row = "";
        int panels = 0;
        for (JsonNode panel : dashboard.path("panels")) {
            if ("row".equals(panel.path("type").asText())) {
                row = panel.path("title").asText();
                continue;
            }
            String line = readme.lines().filter(l -> l.startsWith("| ")).filter(l -> l.contains(" | "
                    + panel.path("title").asText() + " | ")).findFirst().orElse("");
            assertThat(line).as("README row of panel %s", panel.path("title").asText()).startsWith("| " + row + " | ");
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText().replace("namespace=\"$namespace\",storage_id=\"$storage_id\"", "$sel");
                assertThat(line).as("README row of panel %s", panel.path("title").asText()).contains("`" + expr + "`");
            }
            panels++;
        }
        assertThat(readme.lines().filter(l -> l.matches("\\| [^|`]+ \\| [^|]+ \\| `.*")).count())
                .as("README panel rows").isEqualTo(panels);
    }

    @Test
    void operatorMonitorAndRulesSelectTheOperatorMetricsService() {
        Rendered r = Charts.template(OPERATOR_CHART, OPERATOR_ALL_ON);
        Deployment deployment = r.one(Deployment.class, OPERATOR);
        Service metrics = r.one(Service.class, OPERATOR + "-metrics");
        GenericKubernetesResource monitor = r.custom("ServiceMonitor").getFirst();

        // ServiceMonitor -> Service (labels) -> operator pods (selector) -> the container's port
        assertThat(metrics.getMetadata().getLabels())
                .containsAllEntriesOf(stringMap(monitor.get("spec", "selector", "matchLabels")));
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(metrics.getSpec().getSelector());
        assertThat(metrics.getSpec().getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getName()).isEqualTo(((Map<?, ?>) list(monitor.get("spec", "endpoints")).getFirst())
                    .get("port"));
            assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().getFirst().getPorts())
                    .anyMatch(c -> c.getName().equals(p.getTargetPort().getStrVal()));
        });

        Map<String, String> alerts = MonitoringPack.alerts(r);
        assertThat(alerts).containsOnlyKeys("StorageElementOperatorDown", "StorageElementOperatorReconcileErrors");
        // the ServiceMonitor's job is the Service's name
        alerts.values().forEach(expr -> assertThat(expr)
                .contains("namespace=\"artsore\",job=\"" + OPERATOR + "-metrics\""));
        assertThat(alerts.get("StorageElementOperatorReconcileErrors"))
                .contains("operator_sdk_reconciliations_failed_total");
    }

    /**
     * {@code helm lint --strict} takes no --set here (helm-java), and the chart's own values keep the pack off:
     * lint copies whose values.yaml switches every part of the pack on.
     */
    @Test
    void lintIsCleanWithThePackOn(@TempDir Path dir) throws Exception {
        Charts.assertLintClean(ELEMENT_CHART);
        Charts.assertLintClean(OPERATOR_CHART);
        assertLintClean(copyWithSwitchesOn(ELEMENT_CHART, dir, "podMonitor", "prometheusRule", "dashboard"));
        assertLintClean(copyWithSwitchesOn(OPERATOR_CHART, dir, "serviceMonitor", "prometheusRule"));
        assertLintClean(copyWithSwitchesOn("se-test", dir, "podMonitor"));
    }

    private static Path copyWithSwitchesOn(String chart, Path dir, String... switches) throws Exception {
        Path source = Charts.chartDir(chart);
        Path copy = dir.resolve(chart);
        try (var files = Files.walk(source)) {
            for (Path file : files.toList()) {
                Path target = copy.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
        Path values = copy.resolve("values.yaml");
        String text = Files.readString(values);
        for (String name : switches) {
            Matcher m = Pattern.compile("(?m)^(\\s*" + name + ":\\n\\s*enabled: )false").matcher(text);
            assertThat(m.find()).as("%s.enabled in %s", name, chart).isTrue();
            text = m.replaceFirst("$1true");
        }
        Files.writeString(values, text);
        return copy;
    }

    private static void assertLintClean(Path chart) {
        var lint = new com.marcnuri.helm.Helm(chart).lint().strict().call();
        assertThat(lint.isFailed()).as("%s", lint.getMessages()).isFalse();
        assertThat(lint.getMessages()).as("%s", chart)
                .noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
    }

    private static Map<String, String> stringMap(Object o) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        ((Map<?, ?>) o).forEach((k, v) -> out.put(k.toString(), v.toString()));
        return out;
    }

    private static List<Object> list(Object o) {
        return o instanceof List<?> l ? new java.util.ArrayList<>(l) : List.of();
    }
}
