package io.artsore.operator.reconcile;

import io.fabric8.kubernetes.api.model.Pod;

/** The kubelet's view of a pod: Ready condition True and not on its way out. */
final class PodReadiness {
    private PodReadiness() {
    }

    static boolean isReady(Pod pod) {
        return pod.getMetadata().getDeletionTimestamp() == null
                && pod.getStatus() != null && pod.getStatus().getConditions() != null
                && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
