package io.artsore.operator.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.artsore.operator.crd.ElementMode;
import io.artsore.operator.crd.StorageElement;
import io.artsore.operator.status.Conditions;
import io.artsore.operator.support.Elements;
import io.artsore.operator.support.MockApiServer;
import io.artsore.operator.support.MockCluster;
import io.artsore.operator.support.PrivateCa;
import io.artsore.operator.support.RealElementProcess;
import io.artsore.operator.support.ReconcileHarness;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real element process serving a certificate from a freshly generated private CA that neither the JDK nor
 * OPERATOR_CA_CERT_PATH knows: the operator trusts it once (and only because) the element's cert-manager TLS
 * Secret carries that CA as ca.crt, with hostname verification on (the certificate names 127.0.0.1).
 */
@ExtendWith(MockApiServer.class)
class ElementTrustIT {
    private static final String NAME = "se-ca";

    KubernetesClient client;

    @TempDir
    Path dir;

    private PrivateCa ca;
    private RealElementProcess element;

    @BeforeEach
    void setUp() throws Exception {
        MockCluster.installCrd(client);
        ca = PrivateCa.create(dir.resolve("pki"));
        element = RealElementProcess.start(Files.createDirectories(dir.resolve("element")), NAME, "rw", ca,
                TrustBundle.sslContext(ca.caCrt()));
    }

    @AfterEach
    void tearDown() {
        if (element != null) {
            element.close();
        }
    }

    @Test
    void theCaFromTheElementsTlsSecretIsTrustedAndReadyFollows() throws Exception {
        ReconcileHarness harness = new ReconcileHarness(client, element.baseUri(), new ElementTrust(client, null));
        harness.create(Elements.minimal(NAME, ElementMode.RW));
        harness.reconcile(NAME);
        MockCluster.markStandaloneElementUp(client, harness.get(NAME));

        // without the Secret the private CA is unknown: the TLS failure and its cause are in the condition
        harness.reconcile(NAME);
        assertThat(ready(harness).getStatus()).isEqualTo("False");
        assertThat(ready(harness).getReason()).isEqualTo("ElementUnreachable");
        assertThat(modeSynced(harness).getMessage()).contains("SSLHandshakeException");

        // what cert-manager writes for a CA issuer
        client.resource(new SecretBuilder().withNewMetadata().withName(NAME + "-tls").withNamespace(Elements.NAMESPACE)
                .endMetadata().withType("kubernetes.io/tls")
                .addToData("ca.crt", base64(ca.caCrt()))
                .addToData("tls.crt", base64(ca.tlsCrt()))
                .addToData("tls.key", base64(ca.tlsKey()))
                .build()).create();
        harness.reconcile(NAME);

        StorageElement ready = harness.get(NAME);
        assertThat(ready.getStatus().mode).isEqualTo("rw");
        assertThat(ready(harness).getStatus()).as(ready(harness).getMessage()).isEqualTo("True");
        assertThat(ready(harness).getReason()).isEqualTo("Online");
        assertThat(ready.getStatus().phase).isEqualTo("Running");
    }

    private static Condition ready(ReconcileHarness harness) {
        return Conditions.find(harness.get(NAME).getStatus().conditions, "Ready");
    }

    private static Condition modeSynced(ReconcileHarness harness) {
        return Conditions.find(harness.get(NAME).getStatus().conditions, "ModeSynced");
    }

    private static String base64(Path file) throws Exception {
        return Base64.getEncoder().encodeToString(Files.readAllBytes(file));
    }
}
