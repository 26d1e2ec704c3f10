package io.artsore.operator.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.artsore.operator.crd.ElementMode;
import io.artsore.operator.support.Conflicts;
import io.artsore.operator.support.Elements;
import io.artsore.operator.support.MockApiServer;
import io.artsore.operator.support.MockCluster;
import io.artsore.operator.support.ServerSideApplyDispatcher;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Starts target/operator.jar (manifest class path, libs/) as a process against the mock API server. */
@ExtendWith(MockApiServer.class)
class OperatorJarIT {
    private static final Duration WITHIN_SECONDS = Duration.ofSeconds(30);

    KubernetesClient client;
    KubernetesMockServer server;
    ServerSideApplyDispatcher apiServer;

    private final List<Process> processes = new ArrayList<>();
    private Path kubeconfig;

    @BeforeEach
    void setUp() throws Exception {
        MockCluster.installCrd(client);
        server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
                .andReturn(201, new SelfSubjectRulesReviewBuilder().withNewMetadata().endMetadata()
                        .withNewStatus().withIncomplete(false).addNewResourceRule()
                        .withApiGroups("coordination.k8s.io").withResources("leases").withVerbs("*")
                        .endResourceRule().endStatus().build())
                .always();
        kubeconfig = Files.createTempFile("kubeconfig", ".yaml");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: mock
                  cluster: {server: "%s", insecure-skip-tls-verify: true}
                users:
                - name: operator
                  user: {token: test}
                contexts:
                - name: mock
                  context: {cluster: mock, user: operator, namespace: %s}
                current-context: mock
                """.formatted(client.getMasterUrl().toString(), Elements.NAMESPACE));
    }

    @AfterEach
    void stop() throws Exception {
        for (Process process : processes) {
            if (process.isAlive()) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void jarStartsReconcilesAndShutsDownGracefully() throws Exception {
        int port = freePort();
        Path log = Path.of("target", "operator-jar-it.log");
        Process process = start(log, Map.of("OPERATOR_HTTP_PORT", String.valueOf(port)));

        client.resource(Elements.minimal("se-jar", ElementMode.RW)).create();
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(deployment("se-jar")).isNotNull());

        HttpClient http = HttpClient.newHttpClient();
        URI base = URI.create("http://127.0.0.1:" + port);
        assertThat(http.send(HttpRequest.newBuilder(base.resolve("/healthz")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        assertThat(http.send(HttpRequest.newBuilder(base.resolve("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body()).contains("operator_sdk_");

        process.destroy(); // SIGTERM: the shutdown hook stops the operator
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exits after SIGTERM").isTrue();
        assertThat(Files.readAllLines(log)).filteredOn(l -> l.startsWith("{"))
                .as("JSON log lines").isNotEmpty()
                .allSatisfy(l -> assertThat(l).contains("\"level\":").contains("\"message\":"));
        assertThat(Files.readString(log)).contains("operator started");
    }

    /**
     * Drift is healed by events, without a spec change: a hand-scaled Deployment with a changed image goes back,
     * a deleted Service comes back. A restarted operator then writes nothing but what a new deletion needs.
     */
    @Test
    void jarHealsDriftAndARestartWritesNothingWhenNothingChanged() throws Exception {
        Map<String, String> env = Map.of("OPERATOR_HTTP_PORT", "0", "OPERATOR_LEADER_ELECTION", "false");
        Process first = start(Path.of("target", "operator-jar-it-drift.log"), env);
        client.resource(Elements.minimal("se-drift", ElementMode.RW)).create();
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(deployment("se-drift")).isNotNull());
        String image = deployment("se-drift").getSpec().getTemplate().getSpec().getContainers().getFirst().getImage();

        Conflicts.retry(() -> client.apps().deployments().inNamespace(Elements.NAMESPACE).withName("se-drift")
                .edit(d -> {
                    d.getSpec().setReplicas(2);
                    d.getSpec().getTemplate().getSpec().getContainers().getFirst().setImage("evil/other:1");
                    return d;
                }));
        await().atMost(WITHIN_SECONDS).untilAsserted(() -> {
            Deployment healed = deployment("se-drift");
            assertThat(healed.getSpec().getReplicas()).isEqualTo(1);
            assertThat(healed.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage()).isEqualTo(image);
        });

        deleteServiceAndAwaitItsReturn("se-drift");

        // let the first operator finish whatever its last event started, then stop it
        await().atMost(WITHIN_SECONDS).until(() -> statusReconciled("se-drift"));
        first.destroy();
        assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
        List<String> before = apiServer.writes();

        start(Path.of("target", "operator-jar-it-restart.log"), env);
        // the restarted operator reconciles every element once at start; a deletion afterwards proves that pass
        // is over (reconciles of one element never overlap)
        deleteServiceAndAwaitItsReturn("se-drift");

        List<String> after = apiServer.writes().subList(before.size(), apiServer.writes().size());
        assertThat(after).as("the restart itself wrote nothing").containsExactly(
                "DELETE /api/v1/namespaces/" + Elements.NAMESPACE + "/services/se-drift",
                "APPLY(create) /api/v1/namespaces/" + Elements.NAMESPACE + "/services/se-drift");
    }

    private void deleteServiceAndAwaitItsReturn(String name) {
        String uid = client.services().inNamespace(Elements.NAMESPACE).withName(name).get().getMetadata().getUid();
        client.services().inNamespace(Elements.NAMESPACE).withName(name).delete();
        await().atMost(WITHIN_SECONDS).untilAsserted(() -> assertThat(
                client.services().inNamespace(Elements.NAMESPACE).withName(name).get())
                .isNotNull().satisfies(s -> assertThat(s.getMetadata().getUid()).isNotEqualTo(uid)));
    }

    private boolean statusReconciled(String name) {
        var element = client.resources(io.artsore.operator.crd.StorageElement.class)
                .inNamespace(Elements.NAMESPACE).withName(name).get();
        return element.getStatus() != null && element.getStatus().dataClaims != null
                && element.getStatus().dataClaims.size() == 2;
    }

    private Process start(Path log, Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", Path.of("target", "operator.jar").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("KUBECONFIG", kubeconfig.toString());
        builder.environment().put("WATCH_NAMESPACES", Elements.NAMESPACE);
        builder.environment().put("OPERATOR_LEASE_NAMESPACE", Elements.NAMESPACE);
        builder.environment().putAll(env);
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    private Deployment deployment(String name) {
        return client.apps().deployments().inNamespace(Elements.NAMESPACE).withName(name).get();
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
