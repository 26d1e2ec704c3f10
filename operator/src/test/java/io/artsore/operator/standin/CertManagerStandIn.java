package io.artsore.operator.standin;

import io.artsore.operator.support.MockCluster;
import io.artsore.operator.support.PrivateCa;
import io.fabric8.certmanager.api.model.v1.Certificate;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * The part of cert-manager the stand-in fakes: every Certificate whose Secret is missing gets one, signed by
 * one local CA for the DNS names the Certificate asks for, with the keys a CA issuer writes (tls.crt, tls.key,
 * ca.crt); then the Certificate reports Ready. No issuer, renewal or key rotation is modelled.
 */
final class CertManagerStandIn {
    private final KubernetesClient client;
    private final PrivateCa ca;
    private final Path dir;

    CertManagerStandIn(KubernetesClient client, PrivateCa ca, Path dir) {
        this.client = client;
        this.ca = ca;
        this.dir = dir;
    }

    void issueMissing() throws Exception {
        for (Certificate certificate : client.resources(Certificate.class).inAnyNamespace().list().getItems()) {
            String namespace = certificate.getMetadata().getNamespace();
            String secretName = certificate.getSpec().getSecretName();
            if (client.secrets().inNamespace(namespace).withName(secretName).get() == null) {
                client.resource(secretFor(certificate)).create();
                MockCluster.markCertificateReady(client, namespace, certificate.getMetadata().getName());
            }
        }
    }

    private Secret secretFor(Certificate certificate) throws Exception {
        String[] sans = certificate.getSpec().getDnsNames().stream().map(n -> "dns:" + n).toArray(String[]::new);
        PrivateCa leaf = ca.issue(dir.resolve(certificate.getMetadata().getNamespace() + "-"
                + certificate.getMetadata().getName()), sans);
        return new SecretBuilder().withNewMetadata().withName(certificate.getSpec().getSecretName())
                .withNamespace(certificate.getMetadata().getNamespace()).endMetadata()
                .withType("kubernetes.io/tls")
                .addToData("tls.crt", base64(leaf.tlsCrt()))
                .addToData("tls.key", base64(leaf.tlsKey()))
                .addToData("ca.crt", base64(leaf.caCrt()))
                .build();
    }

    static String base64(Path file) throws IOException {
        return Base64.getEncoder().encodeToString(Files.readAllBytes(file));
    }
}
