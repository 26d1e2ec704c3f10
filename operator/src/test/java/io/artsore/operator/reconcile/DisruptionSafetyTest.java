package io.artsore.operator.reconcile;

import static io.artsore.operator.support.DefaultSpreading.assertDefaultSpreading;
import static org.assertj.core.api.Assertions.assertThat;

import io.artsore.operator.crd.ElementMode;
import io.artsore.operator.support.Elements;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** PodDisruptionBudget and default spreading of replicated elements (issue 15, item 4). */
class DisruptionSafetyTest extends ReconcileTestBase {
    private static final Map<String, String> SELECTOR = Map.of(
            "app.kubernetes.io/name", "storage-element", "app.kubernetes.io/instance", "se-rep");

    @Test
    void replicatedElementGetsAnOwnedBudgetAllowingOneUnavailablePod() {
        harness.create(Elements.replicated("se-rep", ElementMode.RW, 3));
        harness.reconcile("se-rep");

        PodDisruptionBudget pdb = budget("se-rep");
        assertThat(pdb).isNotNull();
        assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
        assertThat(pdb.getSpec().getMinAvailable()).isNull();
        assertThat(pdb.getSpec().getSelector().getMatchLabels()).isEqualTo(SELECTOR);
        assertThat(pdb.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "artsore-se-operator");
        assertThat(pdb.getMetadata().getOwnerReferences()).singleElement().satisfies(r -> {
            assertThat(r.getName()).isEqualTo("se-rep");
            assertThat(r.getController()).isTrue();
        });
    }

    @Test
    void budgetIsRemovedWhenTheElementDropsToOneReplicaAndComesBackWithMore() {
        harness.create(Elements.replicated("se-rep", ElementMode.RW, 2));
        harness.reconcile("se-rep");
        assertThat(budget("se-rep")).isNotNull();

        harness.edit("se-rep", e -> e.getSpec().replicas = 1);
        harness.reconcile("se-rep");
        assertThat(budget("se-rep")).isNull();

        harness.edit("se-rep", e -> e.getSpec().replicas = 3);
        harness.reconcile("se-rep");
        assertThat(budget("se-rep")).isNotNull();
    }

    @Test
    void standaloneElementHasNoBudgetAndNoDefaultSpreading() {
        harness.create(Elements.minimal("se-one", ElementMode.RW));
        harness.reconcile("se-one");

        assertThat(budget("se-one")).isNull();
        PodSpec pod = client.apps().deployments().inNamespace(Elements.NAMESPACE).withName("se-one").get()
                .getSpec().getTemplate().getSpec();
        assertThat(pod.getAffinity()).isNull();
        assertThat(pod.getTopologySpreadConstraints()).isNullOrEmpty();
    }

    @Test
    void replicatedPodsPreferDistinctNodesAndSpreadOverZones() {
        harness.create(Elements.replicated("se-rep", ElementMode.RW, 3));
        harness.reconcile("se-rep");

        PodSpec pod = podSpec("se-rep");
        assertThat(pod.getAffinity().getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution())
                .isNullOrEmpty();
        assertDefaultSpreading(pod, SELECTOR);
    }

    @Test
    void userGivenAffinityAndSpreadWinOverTheDefaults() {
        var element = Elements.replicated("se-rep", ElementMode.RW, 3);
        element.getSpec().pod.affinity = new AffinityBuilder().withNewNodeAffinity()
                .withNewRequiredDuringSchedulingIgnoredDuringExecution().addNewNodeSelectorTerm()
                .addNewMatchExpression().withKey("disk").withOperator("In").withValues("ssd").endMatchExpression()
                .endNodeSelectorTerm().endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().build();
        element.getSpec().pod.topologySpreadConstraints = List.of(new TopologySpreadConstraintBuilder()
                .withMaxSkew(2).withTopologyKey("rack").withWhenUnsatisfiable("DoNotSchedule")
                .withNewLabelSelector().withMatchLabels(SELECTOR).endLabelSelector().build());
        harness.create(element);
        harness.reconcile("se-rep");

        PodSpec pod = podSpec("se-rep");
        assertThat(pod.getAffinity().getPodAntiAffinity()).isNull();
        assertThat(pod.getAffinity().getNodeAffinity()).isNotNull();
        assertThat(pod.getTopologySpreadConstraints()).singleElement()
                .satisfies(c -> assertThat(c.getTopologyKey()).isEqualTo("rack"));
    }

    @Test
    void anEmptySpreadListTurnsTheZoneDefaultOff() {
        var element = Elements.replicated("se-rep", ElementMode.RW, 2);
        element.getSpec().pod.topologySpreadConstraints = List.of();
        harness.create(element);
        harness.reconcile("se-rep");

        PodSpec pod = podSpec("se-rep");
        assertThat(pod.getTopologySpreadConstraints()).isNullOrEmpty();
        assertThat(pod.getAffinity().getPodAntiAffinity()).isNotNull();
    }

    private PodDisruptionBudget budget(String name) {
        return client.policy().v1().podDisruptionBudget().inNamespace(Elements.NAMESPACE).withName(name).get();
    }

    private PodSpec podSpec(String name) {
        return client.apps().statefulSets().inNamespace(Elements.NAMESPACE).withName(name).get()
                .getSpec().getTemplate().getSpec();
    }
}
