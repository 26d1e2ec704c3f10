package io.artsore.e2e.charts;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The operator chart: Deployment, least-privilege RBAC per watch mode, metrics, CRD, Argo CD health. */
class OperatorChartTest {

    private static final String CHART = "storage-element-operator";
    private static final String NAME = "rel-storage-element-operator";
    private static final String CRD_FILE = "storageelements.artsore.io-v1.yml";

    private static final Set<String> CRUD = Set.of("get", "list", "watch", "create", "update", "patch", "delete");

    /** group/resource -> verbs: everything reconciling a StorageElement needs, and nothing else. */
    private static final Map<String, Set<String>> RECONCILE_PERMISSIONS = Map.ofEntries(
            Map.entry("artsore.io/storageelements", Set.of("get", "list", "watch", "patch", "update")),
            Map.entry("artsore.io/storageelements/status", Set.of("get", "patch", "update")),
            Map.entry("artsore.io/storageelements/finalizers", Set.of("update")),
            Map.entry("apps/deployments", CRUD),
            Map.entry("apps/statefulsets", CRUD),
            Map.entry("/services", CRUD),
            Map.entry("/persistentvolumeclaims", CRUD),
            Map.entry("policy/poddisruptionbudgets", CRUD),
            Map.entry("/pods", Set.of("get", "list", "watch", "delete")),
            Map.entry("/secrets", Set.of("get")),
            Map.entry("/events", Set.of("create", "patch")),
            Map.entry("events.k8s.io/events", Set.of("create", "patch")),
            Map.entry("cert-manager.io/certificates", CRUD),
            Map.entry("gateway.networking.k8s.io/httproutes", CRUD));

    @Test
    void lintReportsNoWarningOrError() {
        Charts.assertLintClean(CHART);
    }

    @Test
    void watchingAllNamespacesGrantsExactlyTheReconcileRulesClusterWide() {
        Rendered r = Charts.template(CHART, Map.of());

        assertThat(r.all(ClusterRole.class)).singleElement().satisfies(role ->
                assertThat(permissions(role.getRules())).isEqualTo(RECONCILE_PERMISSIONS));
        ClusterRoleBinding binding = r.one(ClusterRoleBinding.class, NAME);
        assertThat(binding.getRoleRef().getName()).isEqualTo(NAME);
        assertThat(binding.getSubjects()).singleElement().satisfies(this::isOperatorServiceAccount);
        assertLeaderElectionRoleOnlyInOwnNamespace(r);
        assertThat(Rendered.env(container(r))).containsEntry("WATCH_NAMESPACES", "")
                .containsEntry("OPERATOR_HTTP_PORT", "8081");
        assertThat(container(r).getPorts()).singleElement().satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(8081));
    }

    @Test
    void watchingListedNamespacesGrantsNothingClusterWide() {
        Rendered r = Charts.template(CHART, Map.of("watchNamespaces[0]", "team-a", "watchNamespaces[1]", "team-b"));

        assertThat(r.all(ClusterRole.class)).isEmpty();
        assertThat(r.all(ClusterRoleBinding.class)).isEmpty();
        for (String ns : List.of("team-a", "team-b")) {
            Role role = r.all(Role.class).stream().filter(x -> ns.equals(x.getMetadata().getNamespace()))
                    .findFirst().orElseThrow(() -> new AssertionError("no Role in " + ns));
            assertThat(permissions(role.getRules())).isEqualTo(RECONCILE_PERMISSIONS);
            RoleBinding binding = r.all(RoleBinding.class).stream()
                    .filter(x -> ns.equals(x.getMetadata().getNamespace())).findFirst().orElseThrow();
            assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
            assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
            assertThat(binding.getSubjects()).singleElement().satisfies(this::isOperatorServiceAccount);
        }
        assertLeaderElectionRoleOnlyInOwnNamespace(r);
        assertThat(Rendered.env(container(r))).containsEntry("WATCH_NAMESPACES", "team-a,team-b");
    }

    @Test
    void noRuleUsesWildcardsOrTouchesClusterScopedResources() {
        for (Map<String, Object> values : List.<Map<String, Object>>of(Map.of(), Map.of("watchNamespaces[0]", "a"))) {
            Rendered r = Charts.template(CHART, values);
            List<PolicyRule> rules = r.all(ClusterRole.class).stream().flatMap(c -> c.getRules().stream())
                    .collect(Collectors.toList());
            r.all(Role.class).forEach(role -> rules.addAll(role.getRules()));
            assertThat(rules).isNotEmpty().allSatisfy(rule -> {
                assertThat(rule.getVerbs()).doesNotContain("*", "escalate", "bind", "impersonate");
                assertThat(rule.getResources()).doesNotContain("*", "nodes", "namespaces",
                        "customresourcedefinitions", "persistentvolumes", "clusterroles", "roles", "rolebindings");
                assertThat(rule.getApiGroups()).doesNotContain("*");
                assertThat(rule.getNonResourceURLs()).isEmpty();
            });
        }
    }

    @Test
    void deploymentRunsOneNonRootReplicaWithHealthProbesOnTheHealthPort() {
        Rendered r = Charts.template(CHART, Map.of());
        Deployment deployment = r.one(Deployment.class, NAME);
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        Container operator = container(r);

        assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
        assertThat(pod.getServiceAccountName()).isEqualTo(NAME);
        assertThat(operator.getImage()).isEqualTo("localhost/artsore/storage-element-operator:1.0.0-SNAPSHOT");
        assertThat(operator.getPorts()).singleElement().satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(8081));
        assertThat(operator.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(operator.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
        assertThat(operator.getStartupProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(10001L);
        assertThat(operator.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(Rendered.env(operator)).containsEntry("POD_NAMESPACE", "fieldRef:metadata.namespace")
                .doesNotContainKey("OPERATOR_CA_CERT_PATH");
        r.one(io.fabric8.kubernetes.api.model.ServiceAccount.class, NAME);
    }

    @Test
    void caBundleIsMountedAndNamedInTheEnvironment() {
        Rendered r = Charts.template(CHART, Map.of("caBundle.secretName", "artsore-ca", "replicas", 2));
        Container operator = container(r);

        assertThat(r.one(Deployment.class, NAME).getSpec().getReplicas()).isEqualTo(2);
        assertThat(Rendered.env(operator)).containsEntry("OPERATOR_CA_CERT_PATH", "/etc/artsore/ca/ca.crt");
        assertThat(operator.getVolumeMounts()).anyMatch(m -> m.getMountPath().equals("/etc/artsore/ca"));
        assertThat(r.one(Deployment.class, NAME).getSpec().getTemplate().getSpec().getVolumes())
                .anyMatch(v -> v.getSecret() != null && v.getSecret().getSecretName().equals("artsore-ca"));
    }

    @Test
    void metricsServiceAlwaysAndServiceMonitorOnlyWhenEnabled() {
        Rendered defaults = Charts.template(CHART, Map.of());
        Service metrics = defaults.one(Service.class, NAME + "-metrics");
        assertThat(metrics.getSpec().getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getName()).isEqualTo("http-metrics");
            assertThat(p.getPort()).isEqualTo(8081);
        });
        assertThat(defaults.custom("ServiceMonitor")).isEmpty();

        var monitors = Charts.template(CHART, Map.of("metrics.serviceMonitor.enabled", true)).custom("ServiceMonitor");
        assertThat(monitors).singleElement().satisfies(m -> {
            assertThat(m.get("spec", "endpoints", 0, "port").toString()).isEqualTo("http-metrics");
            assertThat(m.get("spec", "endpoints", 0, "path").toString()).isEqualTo("/metrics");
        });
        assertThatThrownBy(() -> Charts.template(CHART, Map.of("metrics.serviceMonitor.enabled", true,
                "metrics.service.enabled", false))).hasMessageContaining("metrics.service.enabled");
    }

    @Test
    void argoCdHealthCheckShipsTheSameLuaInConfigMapAndReadme() throws IOException {
        String lua = Files.readString(Charts.chartDir(CHART).resolve("files/argocd-health.lua"));
        assertThat(lua).contains("\"Degraded\"", "\"Healthy\"", "\"Progressing\"", "ModeSynced",
                "observedGeneration", "obj.metadata.generation");

        assertThat(Charts.template(CHART, Map.of()).all(ConfigMap.class)).isEmpty();
        ConfigMap cm = Charts.template(CHART, Map.of("argocd.healthCheckConfigMap.enabled", true))
                .one(ConfigMap.class, NAME + "-argocd-health");
        assertThat(cm.getData().get("resource.customizations.health.artsore.io_StorageElement").strip())
                .isEqualTo(lua.strip());

        String readme = Files.readString(Charts.chartDir(CHART).resolve("README.md"));
        String indented = lua.strip().lines().map(l -> l.isEmpty() ? l : "    " + l)
                .collect(Collectors.joining("\n"));
        assertThat(readme).contains("resource.customizations.health.artsore.io_StorageElement: |\n" + indented);
    }

    @Test
    void schemaRejectsBadValues() {
        assertThatThrownBy(() -> Charts.template(CHART, Map.of("replicas", 0))).hasMessageContaining("replicas");
        assertThatThrownBy(() -> Charts.template(CHART, Map.of("watchNamespaces[0]", "Team_A")))
                .hasMessageContaining("watchNamespaces");
        assertThatThrownBy(() -> Charts.template(CHART, Map.of("image.pullPolicy", "Sometimes")))
                .hasMessageContaining("pullPolicy");
    }

    /** The chart ships the CRD generated from the operator's types: scripts/sync-chart-files.sh keeps them equal. */
    @Test
    void chartCrdIsTheGeneratedCrd() throws IOException {
        Path generated = Path.of("..", "crds", CRD_FILE).toAbsolutePath().normalize();
        assumeTrue(Files.exists(generated), "crds/" + CRD_FILE + " is not generated on this branch yet; "
                + "the comparison runs once the operator's CRD generator has produced it");
        Path shipped = Charts.chartDir(CHART).resolve("crds").resolve(CRD_FILE);
        assertThat(shipped).as("run scripts/sync-chart-files.sh").exists();
        assertThat(Files.readString(shipped)).as("run scripts/sync-chart-files.sh").isEqualTo(Files.readString(generated));
    }

    private void isOperatorServiceAccount(Subject subject) {
        assertThat(subject.getKind()).isEqualTo("ServiceAccount");
        assertThat(subject.getName()).isEqualTo(NAME);
        assertThat(subject.getNamespace()).isEqualTo(Charts.NAMESPACE);
    }

    private static void assertLeaderElectionRoleOnlyInOwnNamespace(Rendered r) {
        Role leases = r.one(Role.class, NAME + "-leader-election");
        assertThat(leases.getMetadata().getNamespace()).isEqualTo(Charts.NAMESPACE);
        assertThat(permissions(leases.getRules())).containsEntry("coordination.k8s.io/leases",
                Set.of("get", "create", "update"));
        assertThat(r.all(ClusterRole.class)).allSatisfy(c ->
                assertThat(permissions(c.getRules())).doesNotContainKey("coordination.k8s.io/leases"));
    }

    /** Flattens rules to "group/resource" -> verbs, merging rules that name the same resource. */
    private static Map<String, Set<String>> permissions(List<PolicyRule> rules) {
        Map<String, Set<String>> out = new java.util.TreeMap<>();
        for (PolicyRule rule : rules) {
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    out.computeIfAbsent(group + "/" + resource, k -> new TreeSet<>()).addAll(rule.getVerbs());
                }
            }
        }
        return out;
    }

    private static Container container(Rendered r) {
        return r.one(Deployment.class, NAME).getSpec().getTemplate().getSpec().getContainers().get(0);
    }
}
