package io.artsore.operator.mode;

import io.artsore.operator.crd.ReplicaMode;
import io.artsore.operator.crd.StorageElement;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;

/**
 * Finds the pod that leads the element: the single ready pod of a standalone element, or the ready pod of a
 * replicated one whose /api/v1/info says role=leader.
 */
public class LeaderLocator {
    private final ElementEndpointResolver resolver;
    private final ElementApiClient api;

    public LeaderLocator(ElementEndpointResolver resolver, ElementApiClient api) {
        this.resolver = resolver;
        this.api = api;
    }

    public String leader(StorageElement element, List<Pod> readyPods) {
        if (readyPods.isEmpty()) {
            return null;
        }
        if (element.getSpec().replicaMode == ReplicaMode.STANDALONE) {
            return readyPods.getFirst().getMetadata().getName();
        }
        for (Pod pod : readyPods) {
            String name = pod.getMetadata().getName();
            try {
                if ("leader".equals(api.info(element, resolver.podUri(element, name)).role())) {
                    return name;
                }
            } catch (ElementUnreachableException e) {
                // a pod that does not answer is not the leader we can report
            }
        }
        return null;
    }
}
