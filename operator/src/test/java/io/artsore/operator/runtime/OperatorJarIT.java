package io.artsore.operator.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.artsore.operator.crd.ElementMode;
import io.artsore.operator.support.Elements;
import io.artsore.operator.support.MockCluster;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.artsore.operator.support.MockApiServer;
import org.junit.jupiter.api.extension.ExtendWith;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Starts target/operator.jar (manifest class path, libs/) as a process against the mock API server. */
@ExtendWith(MockApiServer.class)
class OperatorJarIT {
    KubernetesClient client;
    KubernetesMockServer server;

    private Process process;

    @AfterEach
    void stop() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void jarStartsReconcilesAndShutsDownGracefully() throws Exception {
        MockCluster.installCrd(client);
        server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
                .andReturn(201, new SelfSubjectRulesReviewBuilder().withNewMetadata().endMetadata()
                        .withNewStatus().withIncomplete(false).addNewResourceRule()
                        .withApiGroups("coordination.k8s.io").withResources("leases").withVerbs("*")
                        .endResourceRule().endStatus().build())
                .always();
        Path kubeconfig = Files.createTempFile("kubeconfig", ".yaml");
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
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Path log = Path.of("target", "operator-jar-it.log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", Path.of("target", "operator.jar").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("KUBECONFIG", kubeconfig.toString());
        builder.environment().put("OPERATOR_HTTP_PORT", String.valueOf(port));
        builder.environment().put("WATCH_NAMESPACES", Elements.NAMESPACE);
        builder.environment().put("OPERATOR_LEASE_NAMESPACE", Elements.NAMESPACE);
        process = builder.start();

        client.resource(Elements.minimal("se-jar", ElementMode.RW)).create();
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(
                client.apps().deployments().inNamespace(Elements.NAMESPACE).withName("se-jar").get()).isNotNull());

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
}
