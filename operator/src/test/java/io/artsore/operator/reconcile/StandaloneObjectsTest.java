package io.artsore.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.artsore.operator.crd.ElementMode;
import io.artsore.operator.crd.StorageElement;
import io.artsore.operator.support.Elements;
import io.artsore.operator.support.MockCluster;
import io.artsore.operator.support.ReconcileHarness;
import io.fabric8.certmanager.api.model.v1.Certificate;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.artsore.operator.support.MockApiServer;
import org.junit.jupiter.api.extension.ExtendWith;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@ExtendWith(MockApiServer.class)
class StandaloneObjectsTest {
    KubernetesClient client;

    private ReconcileHarness harness;
    private StorageElement element;

    @BeforeEach
    void setUp() throws Exception {
        MockCluster.installCrd(client);
        // nothing listens there: pods are not ready in this test, so the element is never called
        harness = new ReconcileHarness(client, URI.create("http://127.0.0.1:9"));
        element = harness.create(Elements.minimal("se-rw-1", ElementMode.RW));
        harness.reconcile("se-rw-1");
    }

    @Test
    void minimalResourceProducesExactlyTheStandaloneObjects() {
        String ns = Elements.NAMESPACE;
        assertThat(names(client.apps().deployments().inNamespace(ns).list().getItems()))
                .containsExactly("se-rw-1");
        assertThat(client.apps().statefulSets().inNamespace(ns).list().getItems()).isEmpty();
        assertThat(names(client.services().inNamespace(ns).list().getItems())).containsExactly("se-rw-1");
        assertThat(names(client.persistentVolumeClaims().inNamespace(ns).list().getItems()))
                .containsExactlyInAnyOrder("se-rw-1-data", "se-rw-1-wal");
        assertThat(names(client.resources(Certificate.class).inNamespace(ns).list().getItems()))
                .containsExactly("se-rw-1");
    }

    @Test
    void deploymentRunsOnePodWithRecreateAndTheElementsSelector() {
        Deployment deployment = client.apps().deployments().inNamespace(Elements.NAMESPACE).withName("se-rw-1").get();
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
        assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("Recreate");
        Map<String, String> selector = Map.of("app.kubernetes.io/name", "storage-element",
                "app.kubernetes.io/instance", "se-rw-1");
        assertThat(deployment.getSpec().getSelector().getMatchLabels()).isEqualTo(selector);
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(selector)
                .containsEntry("artsore.io/storage-id", "se-rw-1")
                .containsEntry("app.kubernetes.io/managed-by", "artsore-se-operator");
        assertThat(deployment.getMetadata().getLabels()).containsAllEntriesOf(selector);
        assertControlledByElement(deployment.getMetadata().getOwnerReferences());
    }

    @Test
    void podCarriesEverySeVariableOfTheContract() {
        Map<String, String> env = env(container());
        assertThat(env).containsOnlyKeys("SE_PORT", "SE_STORAGE_ID", "SE_DATA_DIR", "SE_WAL_DIR", "SE_MODE",
                "SE_MAX_FILE_SIZE", "SE_MAX_CAPACITY", "SE_GC_INTERVAL", "SE_RECONCILE_INTERVAL", "SE_JWKS_URL",
                "SE_TLS_CERT", "SE_TLS_KEY", "SE_LOG_LEVEL", "SE_LOG_FORMAT", "SE_REPLICA_MODE",
                "SE_INDEX_REFRESH_INTERVAL", "SE_DEPHEALTH_CHECK_INTERVAL", "SE_SHUTDOWN_TIMEOUT");
        assertThat(env).containsEntry("SE_PORT", "8010")
                .containsEntry("SE_STORAGE_ID", "se-rw-1")
                .containsEntry("SE_DATA_DIR", "/data")
                .containsEntry("SE_WAL_DIR", "/wal")
                .containsEntry("SE_MODE", "rw")
                .containsEntry("SE_MAX_FILE_SIZE", "1073741824")
                .containsEntry("SE_MAX_CAPACITY", String.valueOf(2L * 1024 * 1024 * 1024))
                .containsEntry("SE_GC_INTERVAL", "1h")
                .containsEntry("SE_RECONCILE_INTERVAL", "6h")
                .containsEntry("SE_JWKS_URL", "https://admin.example/jwks")
                .containsEntry("SE_TLS_CERT", "/certs/tls.crt")
                .containsEntry("SE_TLS_KEY", "/certs/tls.key")
                .containsEntry("SE_LOG_LEVEL", "info")
                .containsEntry("SE_LOG_FORMAT", "json")
                .containsEntry("SE_REPLICA_MODE", "standalone")
                .containsEntry("SE_INDEX_REFRESH_INTERVAL", "30s")
                .containsEntry("SE_DEPHEALTH_CHECK_INTERVAL", "15s")
                .containsEntry("SE_SHUTDOWN_TIMEOUT", "30s");
    }

    @Test
    void volumesMountClaimsCertificateSecretAndWritableTmp() {
        PodSpec pod = podSpec();
        Map<String, Volume> volumes = pod.getVolumes().stream().collect(Collectors.toMap(Volume::getName, Function.identity()));
        assertThat(volumes).containsOnlyKeys("data", "wal", "certs", "tmp");
        assertThat(volumes.get("data").getPersistentVolumeClaim().getClaimName()).isEqualTo("se-rw-1-data");
        assertThat(volumes.get("wal").getPersistentVolumeClaim().getClaimName()).isEqualTo("se-rw-1-wal");
        assertThat(volumes.get("certs").getSecret().getSecretName()).isEqualTo("se-rw-1-tls");
        assertThat(volumes.get("tmp").getEmptyDir()).isNotNull();
        Map<String, VolumeMount> mounts = container().getVolumeMounts().stream()
                .collect(Collectors.toMap(VolumeMount::getName, Function.identity()));
        assertThat(mounts.get("data").getMountPath()).isEqualTo("/data");
        assertThat(mounts.get("wal").getMountPath()).isEqualTo("/wal");
        assertThat(mounts.get("certs").getMountPath()).isEqualTo("/certs");
        assertThat(mounts.get("certs").getReadOnly()).isTrue();
        assertThat(mounts.get("tmp").getMountPath()).isEqualTo("/tmp");
    }

    @Test
    void probesPortsSecurityAndResources() {
        Container container = container();
        assertThat(container.getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getName()).isEqualTo("https");
            assertThat(p.getContainerPort()).isEqualTo(8010);
        });
        assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/health/live");
        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health/ready");
        assertThat(container.getStartupProbe().getHttpGet().getPath()).isEqualTo("/health/live");
        assertThat(container.getStartupProbe().getFailureThreshold()).isEqualTo(60);
        assertThat(List.of(container.getLivenessProbe(), container.getReadinessProbe(), container.getStartupProbe()))
                .allSatisfy(p -> {
                    assertThat(p.getHttpGet().getScheme()).isEqualTo("HTTPS");
                    assertThat(p.getHttpGet().getPort().getStrVal()).isEqualTo("https");
                });
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(container.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(container.getSecurityContext().getRunAsUser()).isEqualTo(10001L);
        assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        PodSpec pod = podSpec();
        assertThat(pod.getSecurityContext().getFsGroup()).isEqualTo(10001L);
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        // derived: shutdown timeout 30 s + preStop sleep 5 s + margin 10 s (DrainAndImageTest)
        assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(45L);
        assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(container.getResources().getLimits()).containsEntry("memory", new Quantity("1Gi"));
    }

    @Test
    void serviceExposesTheHttpsPortToTheElementsPods() {
        Service service = client.services().inNamespace(Elements.NAMESPACE).withName("se-rw-1").get();
        assertThat(service.getSpec().getType()).isEqualTo("ClusterIP");
        assertThat(service.getSpec().getSelector()).isEqualTo(Map.of("app.kubernetes.io/name", "storage-element",
                "app.kubernetes.io/instance", "se-rw-1"));
        assertThat(service.getSpec().getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getPort()).isEqualTo(8010);
            assertThat(p.getTargetPort().getStrVal()).isEqualTo("https");
        });
        assertControlledByElement(service.getMetadata().getOwnerReferences());
    }

    @Test
    void claimsAreReadWriteOnceWithSizesAndKeptByDefault() {
        PersistentVolumeClaim data = claim("se-rw-1-data");
        PersistentVolumeClaim wal = claim("se-rw-1-wal");
        assertThat(data.getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
        assertThat(data.getSpec().getResources().getRequests().get("storage")).isEqualTo(new Quantity("2Gi"));
        assertThat(wal.getSpec().getResources().getRequests().get("storage")).isEqualTo(new Quantity("1Gi"));
        // retainOnDelete defaults to true: no owner, so deleting the StorageElement keeps the data
        assertThat(data.getMetadata().getOwnerReferences()).isNullOrEmpty();
        assertThat(wal.getMetadata().getOwnerReferences()).isNullOrEmpty();
    }

    @Test
    void certificateCoversTheServiceNamesAndUsesTheIssuer() {
        Certificate certificate = client.resources(Certificate.class).inNamespace(Elements.NAMESPACE)
                .withName("se-rw-1").get();
        assertThat(certificate.getSpec().getSecretName()).isEqualTo("se-rw-1-tls");
        assertThat(certificate.getSpec().getDnsNames()).containsExactly("se-rw-1", "se-rw-1.storage",
                "se-rw-1.storage.svc", "se-rw-1.storage.svc.cluster.local");
        assertThat(certificate.getSpec().getIssuerRef().getName()).isEqualTo("dev-ca-issuer");
        assertThat(certificate.getSpec().getIssuerRef().getKind()).isEqualTo("ClusterIssuer");
        assertThat(certificate.getSpec().getPrivateKey().getEncoding()).isEqualTo("PKCS8");
        assertControlledByElement(certificate.getMetadata().getOwnerReferences());
    }

    private void assertControlledByElement(List<OwnerReference> refs) {
        assertThat(refs).singleElement().satisfies(ref -> {
            assertThat(ref.getKind()).isEqualTo("StorageElement");
            assertThat(ref.getApiVersion()).isEqualTo("artsore.io/v1alpha1");
            assertThat(ref.getName()).isEqualTo("se-rw-1");
            assertThat(ref.getUid()).isEqualTo(harness.get("se-rw-1").getMetadata().getUid()).isNotBlank();
            assertThat(ref.getController()).isTrue();
        });
    }

    private PersistentVolumeClaim claim(String name) {
        return client.persistentVolumeClaims().inNamespace(Elements.NAMESPACE).withName(name).get();
    }

    private PodSpec podSpec() {
        return client.apps().deployments().inNamespace(Elements.NAMESPACE).withName("se-rw-1").get()
                .getSpec().getTemplate().getSpec();
    }

    private Container container() {
        return podSpec().getContainers().getFirst();
    }

    static Map<String, String> env(Container container) {
        return container.getEnv().stream().filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    }

    static List<String> names(List<? extends io.fabric8.kubernetes.api.model.HasMetadata> objects) {
        return objects.stream().map(o -> o.getMetadata().getName()).toList();
    }
}
