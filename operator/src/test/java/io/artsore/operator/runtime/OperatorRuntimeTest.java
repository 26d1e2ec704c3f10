package io.artsore.operator.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.artsore.operator.crd.ElementMode;
import io.artsore.operator.crd.StorageElement;
import io.artsore.operator.status.Conditions;
import io.artsore.operator.support.Conflicts;
import io.artsore.operator.support.Elements;
import io.artsore.operator.support.FakeStorageElement;
import io.artsore.operator.support.MockCluster;
import io.artsore.operator.support.ReconcileHarness;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.artsore.operator.support.MockApiServer;
import io.artsore.operator.support.ServerSideApplyDispatcher;
import org.junit.jupiter.api.extension.ExtendWith;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The operator's real wiring (JOSDK controller, informers, leader election, probes) against the mock API server. */
@ExtendWith(MockApiServer.class)
class OperatorRuntimeTest {
    KubernetesClient client;
    KubernetesMockServer server;
    ServerSideApplyDispatcher apiServer;

    private FakeStorageElement element;
    private OperatorRuntime runtime;

    @AfterEach
    void tearDown() {
        if (runtime != null) {
            runtime.close();
        }
        if (element != null) {
            element.close();
        }
    }

    @Test
    void reconcilesAResourceEndToEndAndServesProbesAndMetrics() throws Exception {
        MockCluster.installCrd(client);
        // JOSDK checks its RBAC for the Lease before electing; the CRUD mock cannot answer that review itself
        server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
                .andReturn(201, new SelfSubjectRulesReviewBuilder().withNewMetadata().endMetadata()
                        .withNewStatus().withIncomplete(false)
                        .addNewResourceRule().withApiGroups("coordination.k8s.io").withResources("leases")
                        .withVerbs("*").endResourceRule().endStatus().build())
                .always();
        client.resource(new SecretBuilder().withNewMetadata().withName(Elements.TOKEN_SECRET)
                .withNamespace(Elements.NAMESPACE).endMetadata().withStringData(Map.of("token", "tok")).build()).create();
        element = new FakeStorageElement("se-e2e", "rw", "tok");
        OperatorSettings settings = new OperatorSettings(Set.of(Elements.NAMESPACE), null, 0, "artsore-se-operator",
                Elements.NAMESPACE, true, OperatorSettings.DEFAULT_RESYNC);
        runtime = OperatorRuntime.start(client, settings, ReconcileHarness.fixed(element.baseUri()), Clock.systemUTC(),
                () -> { });

        client.resource(Elements.withTokenSecret(Elements.minimal("se-e2e", ElementMode.RW))).create();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                client.apps().deployments().inNamespace(Elements.NAMESPACE).withName("se-e2e").get()).isNotNull());
        assertThat(client.resources(Lease.class).inNamespace(Elements.NAMESPACE).withName("artsore-se-operator").get())
                .as("leader election lease").isNotNull();

        // the kubelet's part: the pod becomes ready; the Deployment informer triggers the next reconcile
        MockCluster.markDeploymentReady(client, Elements.NAMESPACE, "se-e2e");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            StorageElement current = get();
            assertThat(current.getStatus()).isNotNull();
            assertThat(current.getStatus().mode).isEqualTo("rw");
            assertThat(Conditions.find(current.getStatus().conditions, "ModeSynced").getStatus()).isEqualTo("True");
        });

        // a pod becoming ready is an event of the (label-selected) pod informer; the leader is read from its cache
        MockCluster.addReadyPod(client, get(), "se-e2e-abc12");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(get().getStatus()).isNotNull().satisfies(s -> assertThat(s.leader).isEqualTo("se-e2e-abc12")));

        Conflicts.retry(() -> client.resources(StorageElement.class).inNamespace(Elements.NAMESPACE).withName("se-e2e")
                .edit(e -> {
                    e.getSpec().mode = ElementMode.RO;
                    return e;
                }));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(element.mode()).isEqualTo("ro");
            assertThat(get().getStatus().mode).isEqualTo("ro");
        });

        HttpClient http = HttpClient.newHttpClient();
        URI probes = URI.create("http://127.0.0.1:" + runtime.probePort());
        assertThat(get(http, probes.resolve("/healthz")).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(get(http, probes.resolve("/readyz")).statusCode()).isEqualTo(200));
        HttpResponse<String> metrics = get(http, probes.resolve("/metrics"));
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("operator_sdk_").contains("jvm_memory_used_bytes");
    }

    /** The JOSDK path of a refusal: updateErrorStatus publishes it, the retry keeps going, the rest converges. */
    @Test
    void aRefusedClaimPatchShowsInStatusThroughTheControllerWhileTheImageUpgradeIsApplied() throws Exception {
        MockCluster.installCrd(client);
        element = new FakeStorageElement("se-e2e", "rw", "tok");
        OperatorSettings settings = new OperatorSettings(Set.of(Elements.NAMESPACE), null, 0, "artsore-se-operator",
                Elements.NAMESPACE, false, OperatorSettings.DEFAULT_RESYNC);
        runtime = OperatorRuntime.start(client, settings, ReconcileHarness.fixed(element.baseUri()), Clock.systemUTC(),
                () -> { });
        client.resource(Elements.minimal("se-e2e", ElementMode.RW)).create();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(client.persistentVolumeClaims().inNamespace(Elements.NAMESPACE).withName("se-e2e-data").get())
                    .isNotNull();
            assertThat(client.apps().deployments().inNamespace(Elements.NAMESPACE).withName("se-e2e").get())
                    .isNotNull();
        });

        apiServer.failApplies("/api/v1/namespaces/" + Elements.NAMESPACE + "/persistentvolumeclaims/se-e2e-data", 422,
                "PersistentVolumeClaim \"se-e2e-data\" is invalid: spec.resources.requests.storage: Forbidden: "
                        + "field can not be less than previous value");
        Conflicts.retry(() -> client.resources(StorageElement.class).inNamespace(Elements.NAMESPACE).withName("se-e2e")
                .edit(e -> {
                    e.getSpec().storage.dataSize = "1Gi";
                    e.getSpec().image = "artsore/storage-element:2.0.0";
                    return e;
                }));

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(client.apps().deployments().inNamespace(Elements.NAMESPACE).withName("se-e2e").get()
                    .getSpec().getTemplate().getSpec().getContainers().getFirst().getImage())
                    .isEqualTo("artsore/storage-element:2.0.0");
            assertThat(get().getStatus()).isNotNull();
            var ready = Conditions.find(get().getStatus().conditions, "Ready");
            assertThat(ready.getReason()).isEqualTo("ApplyFailed");
            assertThat(ready.getMessage()).contains("PersistentVolumeClaim se-e2e-data").contains("Forbidden");
            assertThat(ready.getObservedGeneration()).isEqualTo(get().getMetadata().getGeneration());
        });

        // retries go on (back-off 2 s, 2 s, 4 s): the same refusal is reported by one Event, not one per retry
        String claimPath = "/api/v1/namespaces/" + Elements.NAMESPACE + "/persistentvolumeclaims/se-e2e-data";
        int seen = apiServer.refusals(claimPath);
        await().atMost(Duration.ofSeconds(60)).until(() -> apiServer.refusals(claimPath) >= seen + 2);
        assertThat(client.v1().events().inNamespace(Elements.NAMESPACE).list().getItems())
                .filteredOn(e -> "ApplyFailed".equals(e.getReason())).hasSize(1)
                .allSatisfy(e -> assertThat(e.getType()).isEqualTo("Warning"));

        apiServer.stopFailing(claimPath);
        // the retry (2 s, then doubling) applies the claim once the API server accepts it
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(client.persistentVolumeClaims().inNamespace(Elements.NAMESPACE).withName("se-e2e-data").get()
                    .getSpec().getResources().getRequests().get("storage").toString()).isEqualTo("1Gi");
            assertThat(get().getStatus()).isNotNull();
            assertThat(Conditions.find(get().getStatus().conditions, "Ready").getReason()).isNotEqualTo("ApplyFailed");
        });
    }

    private StorageElement get() {
        return client.resources(StorageElement.class).inNamespace(Elements.NAMESPACE).withName("se-e2e").get();
    }

    private static HttpResponse<String> get(HttpClient http, URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
