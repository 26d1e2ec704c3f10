package io.artsore.operator.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.Objects;

/**
 * Rollout progress of a Deployment or StatefulSet as its controller reports it.
 *
 * @param observed the controller has processed the workload's current generation
 */
record Rollout(boolean observed, int replicas, int updated, int ready) {
    static final Rollout NONE = new Rollout(false, 0, 0, 0);

    static Rollout of(HasMetadata workload) {
        if (workload instanceof Deployment d && d.getStatus() != null) {
            return new Rollout(Objects.equals(d.getStatus().getObservedGeneration(), d.getMetadata().getGeneration()),
                    n(d.getStatus().getReplicas()), n(d.getStatus().getUpdatedReplicas()),
                    n(d.getStatus().getReadyReplicas()));
        }
        if (workload instanceof StatefulSet s && s.getStatus() != null) {
            return new Rollout(Objects.equals(s.getStatus().getObservedGeneration(), s.getMetadata().getGeneration()),
                    n(s.getStatus().getReplicas()), n(s.getStatus().getUpdatedReplicas()),
                    n(s.getStatus().getReadyReplicas()));
        }
        return NONE;
    }

    /** Every desired replica runs the current template and is ready, and no old pod is left. */
    boolean complete(int desired) {
        return observed && replicas == desired && updated == desired && ready == desired;
    }

    private static int n(Integer value) {
        return value == null ? 0 : value;
    }
}
