package io.artsore.operator.runtime;

import io.artsore.operator.crd.StorageElement;
import io.artsore.operator.mode.ElementConnections;
import io.artsore.operator.reconcile.ElementNames;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * HTTP clients that trust, for calls to an element, the CA that signed its certificate: cert-manager writes
 * {@code ca.crt} into the element's TLS Secret for CA and self-signed issuers, so a fresh install with a
 * private cluster CA works without configuring the operator. The JDK's CAs and OPERATOR_CA_CERT_PATH are
 * trusted as well (public ACME issuers leave ca.crt empty). One client per distinct CA, reused across passes.
 */
public final class ElementTrust implements ElementConnections {
    private static final System.Logger LOG = System.getLogger(ElementTrust.class.getName());
    static final String CA_KEY = "ca.crt";

    private final KubernetesClient client;
    private final Path extraPem;
    private final HttpClient base;
    private final Map<String, HttpClient> byCa = new ConcurrentHashMap<>();

    public ElementTrust(KubernetesClient client, Path extraPem) throws IOException, GeneralSecurityException {
        this.client = client;
        this.extraPem = extraPem;
        this.base = build(TrustBundle.sslContext(extraPem, null));
    }

    /** The client for the JDK's CAs and OPERATOR_CA_CERT_PATH only (token endpoints, elements without ca.crt). */
    public HttpClient base() {
        return base;
    }

    @Override
    public HttpClient forElement(StorageElement element) {
        String ca = elementCa(element);
        if (ca == null) {
            return base;
        }
        return byCa.computeIfAbsent(ca, pem -> {
            try {
                return build(TrustBundle.sslContext(extraPem, Base64.getDecoder().decode(pem)));
            } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
                LOG.log(System.Logger.Level.WARNING, "ca.crt of the TLS Secret of {0}/{1} is unusable: {2}",
                        element.getMetadata().getNamespace(), element.getMetadata().getName(), e.getMessage());
                return base;
            }
        });
    }

    /** Base64 ca.crt of the element's TLS Secret, or null when there is none (yet). */
    private String elementCa(StorageElement element) {
        String secretName = ElementNames.of(element).tlsSecret(element.getSpec().tls.secretName);
        Secret secret;
        try {
            secret = client.secrets().inNamespace(element.getMetadata().getNamespace()).withName(secretName).get();
        } catch (KubernetesClientException e) {
            // unreadable (RBAC, API trouble): the JDK's CAs and OPERATOR_CA_CERT_PATH may still do
            LOG.log(System.Logger.Level.WARNING, "cannot read Secret {0}/{1}: {2}",
                    element.getMetadata().getNamespace(), secretName, e.getMessage());
            return null;
        }
        if (secret == null || secret.getData() == null) {
            return null;
        }
        String ca = secret.getData().get(CA_KEY);
        return ca == null || ca.isBlank() ? null : ca;
    }

    private static HttpClient build(javax.net.ssl.SSLContext context) {
        return HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(5)).build();
    }
}
