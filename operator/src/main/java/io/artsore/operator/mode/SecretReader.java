package io.artsore.operator.mode;

import io.artsore.operator.crd.SecretKeyRef;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Reads one key of a Secret in the element's namespace. */
final class SecretReader {
    private final KubernetesClient client;

    SecretReader(KubernetesClient client) {
        this.client = client;
    }

    String read(String namespace, SecretKeyRef ref) throws TokenUnavailableException {
        Secret secret = client.secrets().inNamespace(namespace).withName(ref.name).get();
        if (secret == null) {
            throw new TokenUnavailableException("Secret " + ref.name + " not found");
        }
        if (secret.getData() != null && secret.getData().get(ref.key) != null) {
            return new String(Base64.getDecoder().decode(secret.getData().get(ref.key)), StandardCharsets.UTF_8).trim();
        }
        if (secret.getStringData() != null && secret.getStringData().get(ref.key) != null) {
            return secret.getStringData().get(ref.key).trim();
        }
        throw new TokenUnavailableException("Secret " + ref.name + " has no key " + ref.key);
    }
}
