package io.artsore.e2e.charts;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The test environment chart (the deployment plan's test stand): six elements, jwks-mock, one certificate, init job. */
class SeTestChartTest {

    private static final String CHART = "se-test";
    private static final List<String> REPLICATED = List.of("se-edit-1", "se-edit-2");
    private static final List<String> STANDALONE = List.of("se-rw-1", "se-rw-2", "se-ro", "se-ar");
    private static final String JWKS_URL = "https://jwks-mock.artsore.svc.cluster.local:8080/jwks";

    @Test
    void lintReportsNoWarningOrError() {
        Charts.assertLintClean(CHART);
    }

    @Test
    void rendersTwoReplicatedPairsOverSharedVolumes() {
        Rendered r = Charts.template(CHART, Map.of());

        assertThat(r.all(StatefulSet.class)).extracting(s -> s.getMetadata().getName())
                .containsExactlyInAnyOrderElementsOf(REPLICATED);
        for (String name : REPLICATED) {
            StatefulSet sts = r.one(StatefulSet.class, name);
            assertThat(sts.getSpec().getReplicas()).isEqualTo(2);
            assertThat(sts.getSpec().getServiceName()).isEqualTo(name + "-headless");
            assertThat(r.one(Service.class, name + "-headless").getSpec().getClusterIP()).isEqualTo("None");
            assertThat(r.one(Service.class, name).getSpec().getSelector())
                    .isEqualTo(sts.getSpec().getSelector().getMatchLabels());
            PersistentVolumeClaim data = r.one(PersistentVolumeClaim.class, name + "-data");
            assertThat(data.getSpec().getAccessModes()).containsExactly("ReadWriteMany");
            assertThat(data.getSpec().getStorageClassName()).isEqualTo("nfs-client");
            assertThat(sts.getSpec().getVolumeClaimTemplates()).singleElement().satisfies(t -> {
                assertThat(t.getMetadata().getName()).isEqualTo("wal");
                assertThat(t.getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
                assertThat(t.getSpec().getResources().getRequests().get("storage").toString()).isEqualTo("200Mi");
            });
            Map<String, String> env = Rendered.env(container(sts.getSpec().getTemplate().getSpec()));
            assertThat(env).containsEntry("SE_REPLICA_MODE", "replicated").containsEntry("SE_MODE", "edit")
                    .containsEntry("SE_INDEX_REFRESH_INTERVAL", "10s").containsEntry("SE_STORAGE_ID", name)
                    .containsEntry("SE_ADVERTISED_ADDRESS",
                            "$(POD_NAME)." + name + "-headless.artsore.svc.cluster.local:8010");
        }
    }

    @Test
    void rendersFourStandaloneElementsWithTheirOwnVolumes() {
        Rendered r = Charts.template(CHART, Map.of());

        for (String name : STANDALONE) {
            Deployment deployment = r.one(Deployment.class, name);
            assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
            assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("Recreate");
            assertThat(r.one(PersistentVolumeClaim.class, name + "-data").getSpec().getAccessModes())
                    .containsExactly("ReadWriteOnce");
            assertThat(r.one(PersistentVolumeClaim.class, name + "-wal").getSpec().getAccessModes())
                    .containsExactly("ReadWriteOnce");
            r.one(Service.class, name);
            Map<String, String> env = Rendered.env(container(deployment.getSpec().getTemplate().getSpec()));
            // se-ro and se-ar start rw: the init job moves them.
            assertThat(env).containsEntry("SE_REPLICA_MODE", "standalone").containsEntry("SE_MODE", "rw")
                    .doesNotContainKey("SE_ADVERTISED_ADDRESS");
        }
    }

    @Test
    void everyElementHasEveryRequiredVariableAndTheTestSettings() {
        Rendered r = Charts.template(CHART, Map.of());
        List<PodSpec> pods = new ArrayList<>();
        REPLICATED.forEach(n -> pods.add(r.one(StatefulSet.class, n).getSpec().getTemplate().getSpec()));
        STANDALONE.forEach(n -> pods.add(r.one(Deployment.class, n).getSpec().getTemplate().getSpec()));

        assertThat(pods).hasSize(6).allSatisfy(pod -> {
            Container se = container(pod);
            Map<String, String> env = Rendered.env(se);
            assertThat(env).containsKeys(StorageElementChartTest.REQUIRED_ENV.toArray(String[]::new));
            assertThat(env).containsEntry("SE_MAX_FILE_SIZE", "10485760").containsEntry("SE_GC_INTERVAL", "30s")
                    .containsEntry("SE_LOG_LEVEL", "debug").containsEntry("SE_JWKS_URL", JWKS_URL)
                    .containsEntry("SE_MAX_CAPACITY", "209715200").containsEntry("SE_CA_CERT_PATH", "/certs/ca.crt");
            assertThat(se.getReadinessProbe().getHttpGet().getScheme()).isEqualTo("HTTPS");
            assertThat(se.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health/ready");
            assertThat(se.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/health/live");
            assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(10001L);
            assertThat(se.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
            assertThat(pod.getVolumes()).anyMatch(v -> v.getSecret() != null
                    && v.getSecret().getSecretName().equals("se-test-tls"));
            assertThat(pod.getTerminationGracePeriodSeconds()).isGreaterThan(20L);
        });
    }

    /** e2e/scripts/README.md: scenario 25 needs se-edit-2 to collect soft-deleted files at once (found by the stand-in). */
    @Test
    void seEdit2CollectsDeletedFilesWithoutGrace() {
        Rendered r = Charts.template(CHART, Map.of());
        assertThat(Rendered.env(container(r.one(StatefulSet.class, "se-edit-2").getSpec().getTemplate().getSpec())))
                .containsEntry("SE_GC_GRACE_DELETED", "0s");
        assertThat(Rendered.env(container(r.one(StatefulSet.class, "se-edit-1").getSpec().getTemplate().getSpec())))
                .doesNotContainKey("SE_GC_GRACE_DELETED");
    }

        @Test
    void jwksMockServesTlsOnAllInterfaces() {
        Rendered r = Charts.template(CHART, Map.of());
        Deployment mock = r.one(Deployment.class, "jwks-mock");

        assertThat(mock.getSpec().getReplicas()).isEqualTo(1);
        Container c = container(mock.getSpec().getTemplate().getSpec());
        assertThat(c.getImage()).isEqualTo("localhost/artsore/jwks-mock:1.0.0-SNAPSHOT");
        assertThat(Rendered.env(c)).containsEntry("MOCK_PORT", "8080").containsEntry("MOCK_BIND", "0.0.0.0")
                .containsEntry("MOCK_TLS_CERT", "/certs/tls.crt").containsEntry("MOCK_TLS_KEY", "/certs/tls.key");
        assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/jwks");
        assertThat(r.one(Service.class, "jwks-mock").getSpec().getPorts().get(0).getPort()).isEqualTo(8080);
    }

    @Test
    void oneCertificateNamesEveryServiceAndEveryReplicatedPod() {
        var certificates = Charts.template(CHART, Map.of()).custom("Certificate");
        assertThat(certificates).hasSize(1);
        var certificate = certificates.get(0);

        assertThat(certificate.get("spec", "secretName").toString()).isEqualTo("se-test-tls");
        assertThat(certificate.get("spec", "issuerRef", "name").toString()).isEqualTo("dev-ca-issuer");
        assertThat(certificate.get("spec", "issuerRef", "kind").toString()).isEqualTo("ClusterIssuer");
        List<String> dns = StorageElementChartTest.dnsNames(certificate);
        for (String service : List.of("jwks-mock", "se-edit-1", "se-edit-2", "se-rw-1", "se-rw-2", "se-ro", "se-ar")) {
            assertThat(dns).contains(service, service + ".artsore.svc", service + ".artsore.svc.cluster.local");
        }
        assertThat(dns).contains("*.se-edit-1-headless.artsore.svc.cluster.local",
                "*.se-edit-2-headless.artsore.svc.cluster.local", "localhost");
    }

    @Test
    void initJobIsAPostInstallHook() {
        // helm-java, like `helm template --no-hooks`, leaves hooks out of the manifest: the Job is a hook
        // exactly when it disappears from the rendered release.
        assertThat(Charts.template(CHART, Map.of()).all(Job.class)).isEmpty();
        Job job = Charts.template(CHART, Map.of("initJob.asHook", false)).one(Job.class, "se-test-init");
        assertThat(job.getMetadata().getAnnotations()).isNullOrEmpty();
    }

    @Test
    void initJobRunsTheChartScriptsAgainstEveryService() throws IOException {
        Rendered r = Charts.template(CHART, Map.of("initJob.asHook", false));
        Job job = r.one(Job.class, "se-test-init");

        assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(300L);
        Container c = job.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(String.join(" ", c.getArgs())).endsWith("exec bash /scripts/init-data.sh")
                .startsWith("apk add --no-cache bash curl jq");
        assertThat(Rendered.env(c)).containsEntry("JWKS_MOCK_URL", "https://jwks-mock.artsore.svc.cluster.local:8080")
                .containsEntry("SE_EDIT_1_URL", "https://se-edit-1.artsore.svc.cluster.local:8010")
                .containsEntry("SE_EDIT_2_URL", "https://se-edit-2.artsore.svc.cluster.local:8010")
                .containsEntry("SE_RW_1_URL", "https://se-rw-1.artsore.svc.cluster.local:8010")
                .containsEntry("SE_RW_2_URL", "https://se-rw-2.artsore.svc.cluster.local:8010")
                .containsEntry("SE_RO_URL", "https://se-ro.artsore.svc.cluster.local:8010")
                .containsEntry("SE_AR_URL", "https://se-ar.artsore.svc.cluster.local:8010")
                .containsEntry("CURL_OPTS", "-s --connect-timeout 5 --max-time 60 --cacert /certs/ca.crt").containsEntry("AR_FILES", "200")
                .containsEntry("RO_FILES", "4");

        ConfigMap scripts = r.one(ConfigMap.class, "se-test-init-scripts");
        assertThat(job.getSpec().getTemplate().getSpec().getVolumes())
                .anyMatch(v -> v.getConfigMap() != null && v.getConfigMap().getName().equals("se-test-init-scripts"));
        Path files = Charts.chartDir(CHART).resolve("files");
        assertThat(scripts.getData().get("init-data.sh")).isEqualTo(Files.readString(files.resolve("init-data.sh")));
        assertThat(scripts.getData().get("lib.sh")).isEqualTo(Files.readString(files.resolve("lib.sh")));
    }

    /** Helm reads only files inside the chart: files/ must hold exact copies of the e2e scripts. */
    @Test
    void initScriptsAreExactCopiesOfTheE2eScripts() throws IOException {
        Path files = Charts.chartDir(CHART).resolve("files");
        Path e2eScripts = Path.of("scripts").toAbsolutePath();
        for (String script : List.of("init-data.sh", "lib.sh")) {
            assertThat(Files.readString(files.resolve(script))).as("run scripts/sync-chart-files.sh: %s", script)
                    .isEqualTo(Files.readString(e2eScripts.resolve(script)));
        }
    }

    @Test
    void nonDefaultValuesAddAnElementAndDropTheInitJob(@TempDir Path dir) throws IOException {
        Path values = dir.resolve("values.yaml");
        Files.writeString(values, """
                initJob: {enabled: false}
                se: {maxFileSize: 1048576, logLevel: info}
                standaloneInstances:
                  - {name: se-rw-3, storageId: se-rw-3, mode: rw, dataSize: 1Gi, walSize: 100Mi}
                """);
        Rendered r = Charts.template(CHART, Map.of(), values);

        assertThat(r.all(Job.class)).isEmpty();
        assertThat(r.all(ConfigMap.class)).isEmpty();
        assertThat(r.all(Deployment.class)).extracting(d -> d.getMetadata().getName())
                .containsExactlyInAnyOrder("jwks-mock", "se-rw-3");
        assertThat(r.one(PersistentVolumeClaim.class, "se-rw-3-data").getSpec().getResources().getRequests()
                .get("storage").toString()).isEqualTo("1Gi");
        Map<String, String> env = Rendered.env(container(
                r.one(Deployment.class, "se-rw-3").getSpec().getTemplate().getSpec()));
        assertThat(env).containsEntry("SE_MAX_FILE_SIZE", "1048576").containsEntry("SE_LOG_LEVEL", "info");
        assertThat(StorageElementChartTest.dnsNames(r.custom("Certificate").get(0))).contains("se-rw-3");
    }

    @Test
    void schemaAndChecksRejectBadValues(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> Charts.template(CHART, Map.of("standaloneInstances[0].mode", "foo")))
                .hasMessageContaining("mode");
        assertThatThrownBy(() -> Charts.template(CHART, Map.of("se.gcInterval", "soon")))
                .hasMessageContaining("gcInterval");
        assertThatThrownBy(() -> Charts.template(CHART, Map.of("se.maxCapacity", 1000)))
                .hasMessageContaining("maxCapacity");

        Path twice = dir.resolve("twice.yaml");
        Files.writeString(twice, """
                standaloneInstances:
                  - {name: se-rw-1, storageId: a, mode: rw, dataSize: 1Gi, walSize: 1Gi}
                  - {name: se-rw-1, storageId: b, mode: rw, dataSize: 1Gi, walSize: 1Gi}
                """);
        assertThatThrownBy(() -> Charts.template(CHART, Map.of(), twice)).hasMessageContaining("se-rw-1 is used twice");

        Path missing = dir.resolve("missing.yaml");
        Files.writeString(missing, "standaloneInstances: []\n");
        assertThatThrownBy(() -> Charts.template(CHART, Map.of(), missing))
                .hasMessageContaining("initJob needs an instance named se-rw-1");
    }

    private static Container container(PodSpec pod) {
        assertThat(pod.getContainers()).hasSize(1);
        return pod.getContainers().get(0);
    }
}
