package io.artsore.operator.support;

import io.artsore.operator.crd.AuthSpec;
import io.artsore.operator.crd.ElementMode;
import io.artsore.operator.crd.IssuerRef;
import io.artsore.operator.crd.ReplicaMode;
import io.artsore.operator.crd.SecretKeyRef;
import io.artsore.operator.crd.StorageElement;
import io.artsore.operator.crd.StorageElementSpec;
import io.artsore.operator.crd.StorageSpec;
import io.artsore.operator.crd.TlsSpec;
import io.artsore.operator.crd.TokenSource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

/** Minimal StorageElement resources as a user would write them. */
public final class Elements {
    public static final String NAMESPACE = "storage";
    public static final String TOKEN_SECRET = "se-operator-token";

    private Elements() {
    }

    /** storageId, mode, auth.jwksUrl, tls.issuerRef, storage.dataSize - and nothing else. */
    public static StorageElement minimal(String name, ElementMode mode) {
        StorageElementSpec spec = new StorageElementSpec();
        spec.storageId = name;
        spec.mode = mode;
        spec.auth = new AuthSpec();
        spec.auth.jwksUrl = "https://admin.example/jwks";
        spec.tls = new TlsSpec();
        spec.tls.issuerRef = new IssuerRef();
        spec.tls.issuerRef.name = "dev-ca-issuer";
        spec.storage = new StorageSpec();
        spec.storage.dataSize = "2Gi";
        StorageElement element = new StorageElement();
        element.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NAMESPACE).build());
        element.setSpec(spec);
        return element;
    }

    public static StorageElement replicated(String name, ElementMode mode, int replicas) {
        StorageElement element = minimal(name, mode);
        element.getSpec().replicaMode = ReplicaMode.REPLICATED;
        element.getSpec().replicas = replicas;
        return element;
    }

    /** Adds the operator's token source: a Secret with a static token. */
    public static StorageElement withTokenSecret(StorageElement element) {
        element.getSpec().auth.tokenSource = new TokenSource();
        element.getSpec().auth.tokenSource.secretRef = new SecretKeyRef(TOKEN_SECRET, "token");
        return element;
    }
}
