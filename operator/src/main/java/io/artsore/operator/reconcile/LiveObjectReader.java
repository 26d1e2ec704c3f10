package io.artsore.operator.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;

/** One GET per read; used where no informer runs (tests that drive ElementSync directly). */
public final class LiveObjectReader implements ObjectReader {
    private final KubernetesClient client;

    public LiveObjectReader(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public <T extends HasMetadata> T get(Class<T> type, String namespace, String name) {
        return client.resources(type).inNamespace(namespace).withName(name).get();
    }

    @Override
    public <T extends HasMetadata> List<T> list(Class<T> type, String namespace, Map<String, String> labels) {
        return client.resources(type).inNamespace(namespace).withLabels(labels).list().getItems();
    }
}
