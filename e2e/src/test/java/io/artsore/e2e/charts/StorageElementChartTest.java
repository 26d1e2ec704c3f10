package io.artsore.e2e.charts;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The production chart: one element, standalone or replicated, without the operator. */
class StorageElementChartTest {

    private static final String CHART = "storage-element";
    private static final String NAME = "storage-element-se-01";
    private static final Path REPLICATED_VALUES = Charts.chartDir(CHART).resolve("values-replicated.yaml");
    private static final String REPLICATED_NAME = "storage-element-se-edit-01";

    /** The variables the SE refuses to start without (docs/contract.md §12), plus the ones the chart always pins. */
    static final List<String> REQUIRED_ENV = List.of("SE_PORT", "SE_STORAGE_ID", "SE_DATA_DIR", "SE_WAL_DIR",
            "SE_MODE", "SE_MAX_FILE_SIZE", "SE_MAX_CAPACITY", "SE_GC_INTERVAL", "SE_RECONCILE_INTERVAL",
            "SE_JWKS_URL", "SE_TLS_CERT", "SE_TLS_KEY", "SE_CA_CERT_PATH", "SE_LOG_LEVEL", "SE_LOG_FORMAT",
            "SE_REPLICA_MODE", "SE_INDEX_REFRESH_INTERVAL", "SE_DEPHEALTH_CHECK_INTERVAL", "SE_SHUTDOWN_TIMEOUT");

    @Test
    void lintReportsNoWarningOrError() {
        Charts.assertLintClean(CHART);
    }

    @Test
    void standaloneIsOneRecreatedDeploymentWithDataAndWalClaims() {
        Rendered r = Charts.template(CHART, Map.of());

        Deployment deployment = r.one(Deployment.class, NAME);
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
        assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("Recreate");
        assertThat(r.all(StatefulSet.class)).isEmpty();
        assertThat(r.find(Service.class, NAME + "-headless")).isEmpty();

        PersistentVolumeClaim data = r.one(PersistentVolumeClaim.class, NAME + "-data");
        PersistentVolumeClaim wal = r.one(PersistentVolumeClaim.class, NAME + "-wal");
        assertThat(data.getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
        assertThat(data.getSpec().getResources().getRequests().get("storage").toString()).isEqualTo("2Gi");
        assertThat(wal.getSpec().getResources().getRequests().get("storage").toString()).isEqualTo("1Gi");
        assertThat(data.getMetadata().getAnnotations()).containsEntry("helm.sh/resource-policy", "keep");

        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        assertThat(claimOf(pod, "data")).isEqualTo(NAME + "-data");
        assertThat(claimOf(pod, "wal")).isEqualTo(NAME + "-wal");
        assertThat(Rendered.env(container(pod))).containsEntry("SE_REPLICA_MODE", "standalone")
                .containsEntry("SE_STORAGE_ID", "se-01").doesNotContainKey("SE_ADVERTISED_ADDRESS");

        Service service = r.one(Service.class, NAME);
        assertThat(service.getSpec().getType()).isEqualTo("ClusterIP");
        assertThat(service.getSpec().getPorts()).singleElement()
                .satisfies(p -> assertThat(p.getPort()).isEqualTo(8010));
        assertThat(service.getSpec().getSelector())
                .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
    }

    @Test
    void replicatedIsStatefulSetOverSharedRwxDataWithPerPodWal() {
        Rendered r = Charts.template(CHART, Map.of("replicas", 3), REPLICATED_VALUES);

        assertThat(r.all(Deployment.class)).isEmpty();
        StatefulSet sts = r.one(StatefulSet.class, REPLICATED_NAME);
        assertThat(sts.getSpec().getReplicas()).isEqualTo(3);
        assertThat(sts.getSpec().getServiceName()).isEqualTo(REPLICATED_NAME + "-headless");
        assertThat(sts.getSpec().getPodManagementPolicy()).isEqualTo("Parallel");

        Service headless = r.one(Service.class, REPLICATED_NAME + "-headless");
        assertThat(headless.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(headless.getSpec().getSelector()).isEqualTo(sts.getSpec().getSelector().getMatchLabels());
        r.one(Service.class, REPLICATED_NAME);

        PersistentVolumeClaim shared = r.one(PersistentVolumeClaim.class, REPLICATED_NAME + "-data");
        assertThat(shared.getSpec().getAccessModes()).containsExactly("ReadWriteMany");
        assertThat(r.find(PersistentVolumeClaim.class, REPLICATED_NAME + "-wal")).isEmpty();
        assertThat(sts.getSpec().getVolumeClaimTemplates()).singleElement().satisfies(t -> {
            assertThat(t.getMetadata().getName()).isEqualTo("wal");
            assertThat(t.getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
        });

        PodSpec pod = sts.getSpec().getTemplate().getSpec();
        assertThat(claimOf(pod, "data")).isEqualTo(REPLICATED_NAME + "-data");
        assertThat(pod.getVolumes()).noneMatch(v -> v.getName().equals("wal"));
        assertThat(pod.getAffinity().getPodAntiAffinity()).isNotNull();
        Map<String, String> env = Rendered.env(container(pod));
        assertThat(env).containsEntry("SE_REPLICA_MODE", "replicated").containsEntry("SE_MODE", "edit")
                .containsEntry("SE_INDEX_REFRESH_INTERVAL", "10s")
                .containsEntry("POD_NAME", "fieldRef:metadata.name")
                .containsEntry("SE_ADVERTISED_ADDRESS",
                        "$(POD_NAME)." + REPLICATED_NAME + "-headless.$(POD_NAMESPACE).svc.cluster.local:8010");
        // $(VAR) expansion only sees variables defined earlier in the list.
        List<String> order = List.copyOf(env.keySet());
        assertThat(order.indexOf("POD_NAME")).isLessThan(order.indexOf("SE_ADVERTISED_ADDRESS"));
        assertThat(order.indexOf("POD_NAMESPACE")).isLessThan(order.indexOf("SE_ADVERTISED_ADDRESS"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"standalone", "replicated"})
    void everyRequiredSeVariableIsSet(String replicaMode) {
        PodSpec pod = podSpec(Charts.template(CHART, Map.of("replicaMode", replicaMode)));
        Map<String, String> env = Rendered.env(container(pod));

        assertThat(env).containsKeys(REQUIRED_ENV.toArray(String[]::new));
        assertThat(env).allSatisfy((name, value) -> assertThat(value).as(name).isNotBlank());
        assertThat(env).containsEntry("SE_DATA_DIR", "/data").containsEntry("SE_WAL_DIR", "/wal")
                .containsEntry("SE_MAX_CAPACITY", "10737418240").containsEntry("SE_MAX_FILE_SIZE", "1073741824")
                .containsEntry("SE_TLS_CERT", "/certs/tls.crt").containsEntry("SE_TLS_KEY", "/certs/tls.key")
                .containsEntry("SE_CA_CERT_PATH", "/certs/ca.crt");
        assertThat(container(pod).getVolumeMounts()).anySatisfy(m -> {
            assertThat(m.getMountPath()).isEqualTo("/certs");
            assertThat(m.getReadOnly()).isTrue();
        });
        assertThat(pod.getVolumes()).filteredOn(v -> v.getSecret() != null).singleElement()
                .satisfies(v -> assertThat(v.getSecret().getSecretName()).isEqualTo(NAME + "-tls"));
    }

    @Test
    void optionalTuningIsRenderedOnlyWhenSet() {
        Map<String, String> defaults = Rendered.env(container(podSpec(Charts.template(CHART, Map.of()))));
        assertThat(defaults).doesNotContainKeys("SE_JWT_ISSUER", "SE_JWT_AUDIENCE", "SE_SCRUB_BYTES_PER_SEC",
                "SE_PROXY_CONNECT_TIMEOUT", "SE_BIND_ADDRESS", "SE_DEV_INSECURE_HTTP");

        Map<String, String> tuned = Rendered.env(container(podSpec(Charts.template(CHART, Map.of(
                "auth.issuer", "https://kc/realms/artsore", "auth.audience", "artsore-se",
                "auth.leeway", "30s", "config.scrubBytesPerSec", "1048576",
                "config.proxyConnectTimeout", "5s", "config.gcGraceDeleted", "24h",
                "extraEnv[0].name", "EXTRA", "extraEnv[0].value", "1")))));
        assertThat(tuned).containsEntry("SE_JWT_ISSUER", "https://kc/realms/artsore")
                .containsEntry("SE_JWT_AUDIENCE", "artsore-se").containsEntry("SE_JWT_LEEWAY", "30s")
                .containsEntry("SE_SCRUB_BYTES_PER_SEC", "1048576").containsEntry("SE_PROXY_CONNECT_TIMEOUT", "5s")
                .containsEntry("SE_GC_GRACE_DELETED", "24h").containsEntry("EXTRA", "1");
    }

    @Test
    void probesUseHttpsOnTheHealthEndpoints() {
        Container se = container(podSpec(Charts.template(CHART, Map.of())));

        assertProbe(se.getStartupProbe(), "/health/live", "HTTPS");
        assertProbe(se.getLivenessProbe(), "/health/live", "HTTPS");
        assertProbe(se.getReadinessProbe(), "/health/ready", "HTTPS");
        assertThat(se.getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getName()).isEqualTo("https");
            assertThat(p.getContainerPort()).isEqualTo(8010);
        });
    }

    @Test
    void devInsecureHttpDropsTlsEverywhere() {
        Rendered r = Charts.template(CHART, Map.of("tls.devInsecureHttp", true));
        Container se = container(podSpec(r));

        assertProbe(se.getReadinessProbe(), "/health/ready", "HTTP");
        assertThat(Rendered.env(se)).containsEntry("SE_DEV_INSECURE_HTTP", "true")
                .doesNotContainKeys("SE_TLS_CERT", "SE_TLS_KEY", "SE_CA_CERT_PATH");
        assertThat(r.custom("Certificate")).isEmpty();
        assertThat(se.getVolumeMounts()).noneMatch(m -> m.getMountPath().equals("/certs"));
    }

    @Test
    void podRunsAsNonRootWithReadOnlyRootFilesystemAndWritableTmp() {
        PodSpec pod = podSpec(Charts.template(CHART, Map.of()));
        Container se = container(pod);

        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(10001L);
        assertThat(pod.getSecurityContext().getFsGroup()).isEqualTo(10001L);
        assertThat(se.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(se.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(se.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(se.getVolumeMounts()).anyMatch(m -> m.getMountPath().equals("/tmp"));
        assertThat(pod.getVolumes()).anyMatch(v -> v.getName().equals("tmp") && v.getEmptyDir() != null);
        assertThat(se.getResources().getLimits()).containsKey("memory");
    }

    @Test
    void terminationGraceOutlastsTheShutdownTimeout() {
        PodSpec pod = podSpec(Charts.template(CHART, Map.of("config.shutdownTimeoutSeconds", 120)));

        assertThat(Rendered.env(container(pod))).containsEntry("SE_SHUTDOWN_TIMEOUT", "120s");
        assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(135L);
    }

    @Test
    void certificateCoversTheServiceAndInReplicatedModeEveryPod() {
        GenericKubernetesResource standalone = certificate(Charts.template(CHART, Map.of()));
        assertThat(standalone.get("spec", "secretName").toString()).isEqualTo(NAME + "-tls");
        assertThat(dnsNames(standalone)).containsExactly(NAME, NAME + ".artsore", NAME + ".artsore.svc",
                NAME + ".artsore.svc.cluster.local");
        assertThat(standalone.get("spec", "issuerRef", "name").toString()).isEqualTo("dev-ca-issuer");

        GenericKubernetesResource replicated = certificate(Charts.template(CHART,
                Map.of("tls.extraDnsNames[0]", "se.example.org"), REPLICATED_VALUES));
        String headless = REPLICATED_NAME + "-headless";
        assertThat(dnsNames(replicated)).contains(REPLICATED_NAME + ".artsore.svc.cluster.local",
                "*." + headless + ".artsore.svc", "*." + headless + ".artsore.svc.cluster.local", "se.example.org");
    }

    @Test
    void httpRouteIsRenderedOnlyWhenEnabled() {
        assertThat(Charts.template(CHART, Map.of()).custom("HTTPRoute")).isEmpty();

        List<GenericKubernetesResource> routes = Charts.template(CHART, Map.of("httproute.enabled", true,
                "httproute.hostname", "se-01.example.org")).custom("HTTPRoute");
        assertThat(routes).singleElement().satisfies(route -> {
            assertThat(route.getApiVersion()).isEqualTo("gateway.networking.k8s.io/v1");
            assertThat(route.get("spec", "hostnames").toString()).isEqualTo("[se-01.example.org]");
            assertThat(route.get("spec", "parentRefs", 0, "name").toString()).isEqualTo("eg");
            assertThat(route.get("spec", "rules", 0, "backendRefs", 0, "name").toString()).isEqualTo(NAME);
        });
    }

    @Test
    void schemaAndChecksRejectBadValues() {
        assertRejected(Map.of("replicaMode", "foo"), "replicaMode");
        assertRejected(Map.of("mode", "readonly"), "mode");
        assertRejected(Map.of("elementId", "SE_01"), "elementId");
        assertRejected(Map.of("config.gcInterval", "often"), "gcInterval");
        assertRejected(Map.of("config.logLevel", "verbose"), "logLevel");
        assertRejected(Map.of("storage.dataSize", "lots"), "dataSize");
        assertRejected(Map.of("config.maxCapacity", 1000, "config.maxFileSize", 2000), "maxCapacity");
    }

    private static void assertRejected(Map<String, Object> values, String mentioned) {
        assertThatThrownBy(() -> Charts.template(CHART, values)).as("%s", values).hasMessageContaining(mentioned);
    }

    private static void assertProbe(Probe probe, String path, String scheme) {
        assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
        assertThat(probe.getHttpGet().getScheme()).isEqualTo(scheme);
        assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("https");
    }

    private static GenericKubernetesResource certificate(Rendered r) {
        List<GenericKubernetesResource> certificates = r.custom("Certificate");
        assertThat(certificates).hasSize(1);
        assertThat(certificates.get(0).getApiVersion()).isEqualTo("cert-manager.io/v1");
        return certificates.get(0);
    }

    @SuppressWarnings("unchecked")
    static List<String> dnsNames(GenericKubernetesResource certificate) {
        return (List<String>) certificate.get("spec", "dnsNames");
    }

    private static PodSpec podSpec(Rendered r) {
        List<Deployment> deployments = r.all(Deployment.class);
        if (!deployments.isEmpty()) {
            return deployments.get(0).getSpec().getTemplate().getSpec();
        }
        return r.all(StatefulSet.class).get(0).getSpec().getTemplate().getSpec();
    }

    private static Container container(PodSpec pod) {
        assertThat(pod.getContainers()).hasSize(1);
        return pod.getContainers().get(0);
    }

    private static String claimOf(PodSpec pod, String volume) {
        return pod.getVolumes().stream().filter(v -> v.getName().equals(volume)).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + volume))
                .getPersistentVolumeClaim().getClaimName();
    }
}
