package io.artsore.operator.reconcile;

import io.artsore.operator.crd.ElementMode;
import io.artsore.operator.crd.StorageElement;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;

/** Deployment for a standalone element, StatefulSet for a replicated one. */
public final class WorkloadFactory {
    private WorkloadFactory() {
    }

    /** One replica and Recreate: two pods must never hold the same RWO data volume. */
    public static Deployment deployment(StorageElement element, ElementMode initialMode) {
        ElementNames names = ElementNames.of(element);
        return new DeploymentBuilder()
                .withMetadata(Ownership.owned(element, names.workload()))
                .withNewSpec()
                    .withReplicas(1)
                    .withNewStrategy().withType("Recreate").endStrategy()
                    .withNewSelector().withMatchLabels(ElementLabels.selector(element)).endSelector()
                    .withTemplate(PodTemplateFactory.build(element, initialMode,
                            PodTemplateFactory.claimVolume("data", names.dataClaim()),
                            PodTemplateFactory.claimVolume(ElementNames.WAL_TEMPLATE, names.walClaim())))
                .endSpec()
                .build();
    }

    /**
     * Shared RWX data claim, one WAL claim per pod; pods start in parallel and elect a leader themselves. OnDelete:
     * the operator, not the StatefulSet controller, decides which pod restarts next ({@link LeaderLastRollout}).
     */
    public static StatefulSet statefulSet(StorageElement element, ElementMode initialMode) {
        ElementNames names = ElementNames.of(element);
        boolean deleteClaims = Boolean.FALSE.equals(element.getSpec().storage.retainOnDelete);
        return new StatefulSetBuilder()
                .withMetadata(Ownership.owned(element, names.workload()))
                .withNewSpec()
                    .withReplicas(element.getSpec().replicas)
                    .withServiceName(names.headlessService())
                    .withPodManagementPolicy("Parallel")
                    .withNewUpdateStrategy().withType("OnDelete").endUpdateStrategy()
                    .withNewSelector().withMatchLabels(ElementLabels.selector(element)).endSelector()
                    .withTemplate(PodTemplateFactory.build(element, initialMode,
                            PodTemplateFactory.claimVolume("data", names.dataClaim()), null))
                    .withVolumeClaimTemplates(ClaimFactory.walTemplate(element))
                    .withNewPersistentVolumeClaimRetentionPolicy()
                        .withWhenDeleted(deleteClaims ? "Delete" : "Retain")
                        .withWhenScaled("Retain")
                    .endPersistentVolumeClaimRetentionPolicy()
                .endSpec()
                .build();
    }
}
