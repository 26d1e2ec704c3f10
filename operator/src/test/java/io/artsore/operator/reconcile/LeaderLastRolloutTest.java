package io.artsore.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.artsore.operator.crd.ElementMode;
import io.artsore.operator.crd.StorageElement;
import io.artsore.operator.mode.ElementEndpointResolver;
import io.artsore.operator.status.ConditionTypes;
import io.artsore.operator.status.Conditions;
import io.artsore.operator.support.Elements;
import io.artsore.operator.support.FakeStorageElement;
import io.artsore.operator.support.MockCluster;
import io.artsore.operator.support.ReconcileHarness;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetUpdateStrategy;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Leader-aware rollout of a replicated element (issue 15, item 3). The mock has no StatefulSet controller and no
 * kubelet: the test plays them - it recreates a deleted pod at the update revision, reports it ready, and reports
 * the set's status - and each pod answers /api/v1/info through its own fake element (se-rep-1 leads).
 */
class LeaderLastRolloutTest extends ReconcileTestBase {
    private static final String NAME = "se-rep";
    private static final List<String> PODS = List.of("se-rep-0", "se-rep-1", "se-rep-2");

    private final Map<String, FakeStorageElement> elements = new LinkedHashMap<>();
    private StorageElement created;

    @BeforeEach
    void threePodsAtTheFirstRevision() throws Exception {
        for (String pod : PODS) {
            elements.put(pod, new FakeStorageElement(NAME, "rw", "unused")
                    .withRole(pod.equals("se-rep-1") ? "leader" : "follower"));
        }
        harness = new ReconcileHarness(client, new ElementEndpointResolver() {
            @Override
            public URI serviceUri(StorageElement element) {
                return elements.get("se-rep-1").baseUri();
            }

            @Override
            public URI podUri(StorageElement element, String podName) {
                return elements.get(podName).baseUri();
            }
        });
        created = harness.create(Elements.replicated(NAME, ElementMode.RW, 3));
        harness.reconcile(NAME);
        MockCluster.markCertificateReady(client, Elements.NAMESPACE, NAME);
        for (String pod : PODS) {
            MockCluster.addPod(client, created, pod, "rev-1", true);
        }
        MockCluster.reportStatefulSet(client, created, "rev-1");
    }

    @AfterEach
    void closeElements() {
        elements.values().forEach(FakeStorageElement::close);
    }

    @Test
    void statefulSetLeavesThePodRestartsToTheOperator() {
        assertThat(client.apps().statefulSets().inNamespace(Elements.NAMESPACE).withName(NAME).get()
                .getSpec().getUpdateStrategy().getType()).isEqualTo("OnDelete");
    }

    @Test
    void aStatefulSetOfAnEarlierOperatorMovesToOnDeleteWithoutTheDefaultedPartition() {
        // what an operator before leader-aware rollouts applied, plus the API server's default; the real API server
        // refuses OnDelete next to rollingUpdate, and server-side apply alone would leave that field in place
        client.apps().statefulSets().inNamespace(Elements.NAMESPACE).withName(NAME).edit(s -> new StatefulSetBuilder(s)
                .editSpec().withNewUpdateStrategy().withType("RollingUpdate").withNewRollingUpdate().withPartition(0)
                .endRollingUpdate().endUpdateStrategy().endSpec().build());

        harness.reconcile(NAME);

        StatefulSetUpdateStrategy strategy = client.apps().statefulSets().inNamespace(Elements.NAMESPACE)
                .withName(NAME).get().getSpec().getUpdateStrategy();
        assertThat(strategy.getType()).isEqualTo("OnDelete");
        assertThat(strategy.getRollingUpdate()).isNull();
        assertThat(harness.lastError()).isNull();
    }

    @Test
    void nothingIsDeletedWhenEveryPodRunsTheUpdateRevision() {
        harness.reconcile(NAME);
        harness.reconcile(NAME);

        assertThat(podNames()).containsExactlyElementsOf(PODS);
        assertThat(rolledOut()).satisfies(c -> {
            assertThat(c.getStatus()).isEqualTo("True");
            assertThat(c.getReason()).isEqualTo("UpToDate");
            assertThat(c.getMessage()).isEqualTo("3/3 pods at revision rev-1");
        });
    }

    @Test
    void imageUpgradeRestartsFollowersFirstAndTheLeaderLastOnePodAtATime() {
        assertThat(upgradeAndRoll()).containsExactly("se-rep-2", "se-rep-0", "se-rep-1");

        harness.reconcile(NAME);
        assertThat(podNames()).containsExactlyElementsOf(PODS);
        assertThat(rolledOut().getStatus()).isEqualTo("True");
        assertThat(rolledOut().getMessage()).isEqualTo("3/3 pods at revision rev-2");
        assertThat(client.v1().events().inNamespace(Elements.NAMESPACE).list().getItems())
                .filteredOn(e -> "PodRestarted".equals(e.getReason())).hasSize(3)
                .anySatisfy(e -> assertThat(e.getMessage()).contains("restarted leader se-rep-1"));
    }

    @Test
    void withoutAKnownLeaderThePodsRollByDescendingOrdinal() {
        elements.get("se-rep-1").withRole("follower");

        assertThat(upgradeAndRoll()).containsExactly("se-rep-2", "se-rep-1", "se-rep-0");
        assertThat(harness.get(NAME).getStatus().leader).isNull();
    }

    /**
     * Changes the image and plays the StatefulSet controller and the kubelet through the operator's rollout; checks
     * after every step that the operator deleted one pod and nothing more until the new one was ready.
     *
     * @return the pods in the order the operator deleted them
     */
    private List<String> upgradeAndRoll() {
        harness.edit(NAME, e -> e.getSpec().image = "artsore/storage-element:2.0.0");
        harness.reconcile(NAME);
        assertThat(podNames()).as("the controller has not seen the new template yet").containsExactlyElementsOf(PODS);
        assertThat(rolledOut().getReason()).isEqualTo("WaitingForController");
        MockCluster.reportStatefulSet(client, created, "rev-2");

        List<String> restarted = new ArrayList<>();
        for (int round = 0; round < PODS.size(); round++) {
            harness.reconcile(NAME);
            List<String> gone = new ArrayList<>(PODS);
            gone.removeAll(podNames());
            assertThat(gone).as("one pod at a time").hasSize(1);
            restarted.add(gone.getFirst());
            assertThat(rolledOut().getReason()).isEqualTo("RestartingPod");

            harness.reconcile(NAME);
            assertThat(podNames()).as("nothing more while a pod is missing").hasSize(2);
            assertThat(rolledOut().getMessage()).contains("waiting for 1 pod(s) to be created");

            MockCluster.addPod(client, created, gone.getFirst(), "rev-2", false);
            MockCluster.reportStatefulSet(client, created, "rev-2");
            harness.reconcile(NAME);
            harness.reconcile(NAME);
            assertThat(podNames()).as("nothing more while the new pod is not ready").hasSize(3);
            assertThat(rolledOut().getMessage()).contains("waiting for " + gone.getFirst() + " to become ready");

            MockCluster.markPodReady(client, Elements.NAMESPACE, gone.getFirst());
            MockCluster.reportStatefulSet(client, created, "rev-2");
        }
        return restarted;
    }

    @Test
    void aTerminatingPodHoldsTheRollout() {
        MockCluster.reportStatefulSet(client, created, "rev-2");
        // a finalizer keeps the deleted pod in the mock with a deletionTimestamp, as the kubelet's grace period does
        client.pods().inNamespace(Elements.NAMESPACE).withName("se-rep-0").edit(p -> new PodBuilder(p)
                .editMetadata().addToFinalizers("test/grace-period").endMetadata().build());
        client.pods().inNamespace(Elements.NAMESPACE).withName("se-rep-0").delete();
        assertThat(client.pods().inNamespace(Elements.NAMESPACE).withName("se-rep-0").get().getMetadata()
                .getDeletionTimestamp()).isNotNull();

        harness.reconcile(NAME);

        assertThat(podNames()).containsExactlyElementsOf(PODS);
        assertThat(rolledOut().getReason()).isEqualTo("WaitingForPods");
        assertThat(rolledOut().getMessage()).contains("waiting for se-rep-0 to become ready");
    }

    @Test
    void standaloneElementKeepsRecreateAndItsPodIsNeverDeleted() {
        StorageElement standalone = harness.create(Elements.minimal("se-one", ElementMode.RW));
        harness.reconcile("se-one");
        MockCluster.addPod(client, standalone, "se-one-abc12", "old-revision", true);

        harness.reconcile("se-one");

        assertThat(client.apps().deployments().inNamespace(Elements.NAMESPACE).withName("se-one").get()
                .getSpec().getStrategy().getType()).isEqualTo("Recreate");
        assertThat(client.pods().inNamespace(Elements.NAMESPACE).withName("se-one-abc12").get()).isNotNull();
        assertThat(Conditions.find(harness.get("se-one").getStatus().conditions, ConditionTypes.ROLLED_OUT))
                .isNull();
    }

    private List<String> podNames() {
        return client.pods().inNamespace(Elements.NAMESPACE).list().getItems().stream()
                .map(p -> p.getMetadata().getName()).filter(n -> n.startsWith(NAME + "-")).sorted().toList();
    }

    private Condition rolledOut() {
        return Conditions.find(harness.get(NAME).getStatus().conditions, ConditionTypes.ROLLED_OUT);
    }
}
