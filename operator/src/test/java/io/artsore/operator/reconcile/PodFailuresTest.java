package io.artsore.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.artsore.operator.crd.ElementMode;
import io.artsore.operator.crd.StorageElement;
import io.artsore.operator.status.Conditions;
import io.artsore.operator.support.Elements;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A crash-looping pod (or one whose image cannot be pulled) is Ready=False/PodsFailing and phase Degraded. */
class PodFailuresTest extends ReconcileTestBase {

    @Test
    void crashLoopingPodMakesTheElementPodsFailingAndDegraded() {
        StorageElement element = harness.create(Elements.replicated("se-rep", ElementMode.RW, 2));
        harness.reconcile("se-rep");
        client.resource(waiting(element, "se-rep-0", "CrashLoopBackOff", "back-off 40s restarting failed container", 4))
                .create();
        harness.reconcile("se-rep");

        StorageElement after = harness.get("se-rep");
        Condition ready = Conditions.find(after.getStatus().conditions, "Ready");
        assertThat(ready.getStatus()).isEqualTo("False");
        assertThat(ready.getReason()).isEqualTo("PodsFailing");
        assertThat(ready.getMessage()).contains("se-rep-0: CrashLoopBackOff (back-off 40s restarting failed container)")
                .contains("4 restarts");
        assertThat(after.getStatus().phase).isEqualTo("Degraded");
    }

    @Test
    void aPodThatIsMerelyStartingIsNotFailing() {
        StorageElement element = harness.create(Elements.minimal("se-one", ElementMode.RW));
        harness.reconcile("se-one");
        client.resource(waiting(element, "se-one-abc", "ContainerCreating", null, 0)).create();
        harness.reconcile("se-one");

        Condition ready = Conditions.find(harness.get("se-one").getStatus().conditions, "Ready");
        assertThat(ready.getReason()).isEqualTo("PodsNotReady");
        assertThat(harness.get("se-one").getStatus().phase).isEqualTo("Progressing");
    }

    @Test
    void describesImagePullFailuresOfEveryPodInNameOrder() {
        StorageElement element = Elements.replicated("se-rep", ElementMode.RW, 2);
        element.getMetadata().setUid("u");
        String text = PodFailures.describe(List.of(
                waiting(element, "se-rep-1", "ImagePullBackOff", "Back-off pulling image", 0),
                waiting(element, "se-rep-0", "ErrImagePull", null, 0)));
        assertThat(text).isEqualTo("se-rep-0: ErrImagePull; se-rep-1: ImagePullBackOff (Back-off pulling image)");
        assertThat(PodFailures.describe(List.of())).isNull();
    }

    private static Pod waiting(StorageElement element, String name, String reason, String message, int restarts) {
        return new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(Elements.NAMESPACE)
                    .withLabels(ElementLabels.all(element)).endMetadata()
                .withNewSpec().addNewContainer().withName("storage-element").withImage("x").endContainer().endSpec()
                .withNewStatus().withPhase("Running")
                    .addNewCondition().withType("Ready").withStatus("False").endCondition()
                    .addNewContainerStatus().withName("storage-element").withReady(false).withRestartCount(restarts)
                        .withNewState().withNewWaiting().withReason(reason).withMessage(message).endWaiting()
                        .endState()
                    .endContainerStatus()
                .endStatus()
                .build();
    }
}
