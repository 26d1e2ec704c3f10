package io.artsore.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.artsore.operator.crd.ElementMode;
import io.artsore.operator.crd.StorageElement;
import io.artsore.operator.support.Elements;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Server-side apply: owned fields converge on every pass, removed fields leave, other actors' fields stay. */
class DriftAndRemovalTest extends ReconcileTestBase {
    private static final String NAME = "se-drift";

    DriftAndRemovalTest() {
        super(NAME);
    }

    @Test
    void handScaledReplicasAndHandChangedImageAreRestoredWithoutASpecChange() {
        harness.create(Elements.minimal(NAME, ElementMode.RW));
        harness.reconcile(NAME);
        String image = container(deployment()).getImage();
        long generation = harness.get(NAME).getMetadata().getGeneration();

        client.apps().deployments().inNamespace(Elements.NAMESPACE).withName(NAME).edit(d -> {
            d.getSpec().setReplicas(2);
            d.getSpec().getTemplate().getSpec().getContainers().getFirst().setImage("evil/other:1");
            return d;
        });
        harness.reconcile(NAME);

        assertThat(harness.get(NAME).getMetadata().getGeneration()).isEqualTo(generation);
        assertThat(deployment().getSpec().getReplicas()).isEqualTo(1);
        assertThat(container(deployment()).getImage()).isEqualTo(image);
    }

    @Test
    void nodeSelectorTolerationsAndPodAnnotationsRemovedFromTheSpecLeaveTheWorkload() {
        StorageElement resource = Elements.minimal(NAME, ElementMode.RW);
        resource.getSpec().pod.nodeSelector = Map.of("disk", "ssd");
        resource.getSpec().pod.tolerations = List.of(new TolerationBuilder().withKey("dedicated")
                .withOperator("Equal").withValue("storage").withEffect("NoSchedule").build());
        resource.getSpec().pod.annotations = Map.of("example.org/team", "storage");
        harness.create(resource);
        harness.reconcile(NAME);
        assertThat(deployment().getSpec().getTemplate().getSpec().getNodeSelector()).containsEntry("disk", "ssd");
        // what `kubectl rollout restart` adds: another actor's field, which must survive
        client.apps().deployments().inNamespace(Elements.NAMESPACE).withName(NAME).edit(d -> {
            d.getSpec().getTemplate().getMetadata().getAnnotations()
                    .put("kubectl.kubernetes.io/restartedAt", "2026-01-01T00:00:00Z");
            return d;
        });

        harness.edit(NAME, e -> {
            e.getSpec().pod.nodeSelector = null;
            e.getSpec().pod.tolerations = null;
            e.getSpec().pod.annotations = null;
        });
        harness.reconcile(NAME);

        var template = deployment().getSpec().getTemplate();
        assertThat(template.getSpec().getNodeSelector()).isNullOrEmpty();
        assertThat(template.getSpec().getTolerations()).isNullOrEmpty();
        assertThat(template.getMetadata().getAnnotations()).doesNotContainKey("example.org/team")
                .containsEntry("kubectl.kubernetes.io/restartedAt", "2026-01-01T00:00:00Z");
    }

    @Test
    void retainOnDeleteFlipsTheClaimOwnerReferencesBothWays() {
        StorageElement resource = Elements.minimal(NAME, ElementMode.RW);
        resource.getSpec().storage.retainOnDelete = false;
        harness.create(resource);
        harness.reconcile(NAME);
        assertThat(claims()).hasSize(2).allSatisfy(c -> assertThat(c.getMetadata().getOwnerReferences()).hasSize(1));

        harness.edit(NAME, e -> e.getSpec().storage.retainOnDelete = true);
        harness.reconcile(NAME);
        assertThat(claims()).hasSize(2).allSatisfy(c -> assertThat(c.getMetadata().getOwnerReferences()).isNullOrEmpty());

        harness.edit(NAME, e -> e.getSpec().storage.retainOnDelete = false);
        harness.reconcile(NAME);
        assertThat(claims()).hasSize(2).allSatisfy(c -> assertThat(c.getMetadata().getOwnerReferences())
                .singleElement().satisfies(r -> assertThat(r.getUid()).isEqualTo(harness.get(NAME).getMetadata().getUid())));
    }

    private List<PersistentVolumeClaim> claims() {
        return client.persistentVolumeClaims().inNamespace(Elements.NAMESPACE).list().getItems();
    }

    private Deployment deployment() {
        return client.apps().deployments().inNamespace(Elements.NAMESPACE).withName(NAME).get();
    }

    private static io.fabric8.kubernetes.api.model.Container container(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().getFirst();
    }
}
