package io.artsore.operator.mode;

import io.artsore.operator.crd.ClientCredentials;
import io.artsore.operator.crd.StorageElement;
import io.artsore.operator.crd.TokenSource;
import io.fabric8.kubernetes.client.KubernetesClient;

/** The storage:write bearer token for an element, from the source its spec names. */
public class TokenProvider {
    private final SecretReader secrets;
    private final ClientCredentialsTokens clientCredentials;

    public TokenProvider(KubernetesClient client, ClientCredentialsTokens clientCredentials) {
        this.secrets = new SecretReader(client);
        this.clientCredentials = clientCredentials;
    }

    public String token(StorageElement element) throws TokenUnavailableException {
        TokenSource source = element.getSpec().auth.tokenSource;
        String namespace = element.getMetadata().getNamespace();
        if (source == null) {
            throw new TokenUnavailableException("spec.auth.tokenSource is not set");
        }
        if (source.secretRef != null) {
            return secrets.read(namespace, source.secretRef);
        }
        ClientCredentials cc = source.clientCredentials;
        if (cc == null) {
            throw new TokenUnavailableException("spec.auth.tokenSource names no source");
        }
        return clientCredentials.token(cc.tokenUrl, cc.clientId, secrets.read(namespace, cc.clientSecretRef), cc.scope);
    }
}
