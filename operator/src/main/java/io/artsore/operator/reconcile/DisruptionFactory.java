package io.artsore.operator.reconcile;

import io.artsore.operator.crd.PodOverrides;
import io.artsore.operator.crd.ReplicaMode;
import io.artsore.operator.crd.StorageElement;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import java.util.List;

/**
 * Disruption safety of replicated elements: a PodDisruptionBudget (at most one pod evicted at a time) and default
 * spreading (preferred anti-affinity by node, a zone topology spread constraint). The element chart renders the
 * same objects (charts/storage-element, {@code podDisruptionBudget}, {@code spreadReplicas}).
 */
public final class DisruptionFactory {
    public static final String HOSTNAME_KEY = "kubernetes.io/hostname";
    public static final String ZONE_KEY = "topology.kubernetes.io/zone";

    private DisruptionFactory() {
    }

    /** A budget is only meaningful with more than one pod: replicated elements with replicas > 1. */
    public static boolean wantsBudget(StorageElement element) {
        return element.getSpec().replicaMode == ReplicaMode.REPLICATED && element.getSpec().replicas > 1;
    }

    public static PodDisruptionBudget budget(StorageElement element) {
        return new PodDisruptionBudgetBuilder()
                .withMetadata(Ownership.owned(element, ElementNames.of(element).disruptionBudget()))
                .withNewSpec()
                    .withMaxUnavailable(new IntOrString(1))
                    .withNewSelector().withMatchLabels(ElementLabels.selector(element)).endSelector()
                .endSpec()
                .build();
    }

    /** The user's {@code spec.pod.affinity} when given; for replicated elements otherwise: spread over nodes. */
    public static Affinity affinity(StorageElement element) {
        PodOverrides pod = element.getSpec().pod;
        if (pod != null && pod.affinity != null) {
            return pod.affinity;
        }
        if (element.getSpec().replicaMode != ReplicaMode.REPLICATED) {
            return null;
        }
        return new AffinityBuilder().withNewPodAntiAffinity()
                .addNewPreferredDuringSchedulingIgnoredDuringExecution()
                    .withWeight(100)
                    .withNewPodAffinityTerm()
                        .withTopologyKey(HOSTNAME_KEY)
                        .withNewLabelSelector().withMatchLabels(ElementLabels.selector(element)).endLabelSelector()
                    .endPodAffinityTerm()
                .endPreferredDuringSchedulingIgnoredDuringExecution()
                .endPodAntiAffinity().build();
    }

    /**
     * The user's {@code spec.pod.topologySpreadConstraints} when given (an empty list turns the default off); for
     * replicated elements otherwise: spread over zones, best effort (ScheduleAnyway, so single-zone clusters
     * schedule as before).
     */
    public static List<TopologySpreadConstraint> spread(StorageElement element) {
        PodOverrides pod = element.getSpec().pod;
        if (pod != null && pod.topologySpreadConstraints != null) {
            return pod.topologySpreadConstraints.isEmpty() ? null : pod.topologySpreadConstraints;
        }
        if (element.getSpec().replicaMode != ReplicaMode.REPLICATED) {
            return null;
        }
        return List.of(new TopologySpreadConstraintBuilder()
                .withMaxSkew(1)
                .withTopologyKey(ZONE_KEY)
                .withWhenUnsatisfiable("ScheduleAnyway")
                .withNewLabelSelector().withMatchLabels(ElementLabels.selector(element)).endLabelSelector()
                .build());
    }
}
