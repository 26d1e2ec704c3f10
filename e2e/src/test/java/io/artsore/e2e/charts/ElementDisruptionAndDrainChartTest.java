package io.artsore.e2e.charts;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.artsore.operator.support.DefaultSpreading.assertDefaultSpreading;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Disruption safety and graceful drain of the element chart (issue 15, items 2 and 4): the same PodDisruptionBudget,
 * spreading, preStop sleep and grace period the operator renders (operator: DisruptionSafetyTest, DrainAndImageTest).
 */
class ElementDisruptionAndDrainChartTest {

    private static final String CHART = "storage-element";
    private static final Path REPLICATED_VALUES = Charts.chartDir(CHART).resolve("values-replicated.yaml");
    private static final String REPLICATED_NAME = "storage-element-se-edit-01";
    private static final Map<String, String> SELECTOR = Map.of("app.kubernetes.io/name", "storage-element",
            "app.kubernetes.io/instance", "rel", "artsore.io/storage-id", "se-edit-01");

    @Test
    void replicatedElementHasABudgetAllowingOneUnavailablePod() {
        Rendered r = Charts.template(CHART, Map.of(), REPLICATED_VALUES);

        PodDisruptionBudget pdb = r.one(PodDisruptionBudget.class, REPLICATED_NAME);
        assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
        assertThat(pdb.getSpec().getMinAvailable()).isNull();
        assertThat(pdb.getSpec().getSelector().getMatchLabels()).isEqualTo(SELECTOR);
        assertThat(pdb.getSpec().getSelector().getMatchLabels())
                .isEqualTo(r.one(StatefulSet.class, REPLICATED_NAME).getSpec().getSelector().getMatchLabels());
    }

    @Test
    void noBudgetForStandaloneForOneReplicaOrWhenDisabled() {
        assertThat(Charts.template(CHART, Map.of()).all(PodDisruptionBudget.class)).isEmpty();
        assertThat(Charts.template(CHART, Map.of("replicas", 1), REPLICATED_VALUES).all(PodDisruptionBudget.class))
                .isEmpty();
        assertThat(Charts.template(CHART, Map.of("podDisruptionBudget.enabled", false), REPLICATED_VALUES)
                .all(PodDisruptionBudget.class)).isEmpty();
    }

    @Test
    void replicatedPodsPreferDistinctNodesAndSpreadOverZones() {
        PodSpec pod = statefulSetPod(Charts.template(CHART, Map.of(), REPLICATED_VALUES));

        assertDefaultSpreading(pod, SELECTOR);
    }

    @Test
    void userSpreadWinsAndSpreadReplicasFalseTurnsTheDefaultsOff() {
        PodSpec custom = statefulSetPod(Charts.template(CHART, Map.of(
                "topologySpreadConstraints[0].maxSkew", 2,
                "topologySpreadConstraints[0].topologyKey", "rack",
                "topologySpreadConstraints[0].whenUnsatisfiable", "DoNotSchedule"), REPLICATED_VALUES));
        assertThat(custom.getTopologySpreadConstraints()).singleElement()
                .satisfies(c -> assertThat(c.getTopologyKey()).isEqualTo("rack"));

        PodSpec off = statefulSetPod(Charts.template(CHART, Map.of("spreadReplicas", false), REPLICATED_VALUES));
        assertThat(off.getAffinity()).isNull();
        assertThat(off.getTopologySpreadConstraints()).isNullOrEmpty();

        PodSpec standalone = Charts.template(CHART, Map.of()).all(Deployment.class).get(0)
                .getSpec().getTemplate().getSpec();
        assertThat(standalone.getTopologySpreadConstraints()).isNullOrEmpty();
    }

    @Test
    void preStopSleepsThenTheGracePeriodCoversSleepShutdownAndMargin() {
        PodSpec pod = Charts.template(CHART, Map.of()).all(Deployment.class).get(0).getSpec().getTemplate().getSpec();
        Container se = pod.getContainers().get(0);
        assertThat(se.getLifecycle().getPreStop().getExec().getCommand()).containsExactly("sleep", "5");
        assertThat(Rendered.env(se)).containsEntry("SE_SHUTDOWN_TIMEOUT", "30s");
        assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(30L + 5L + 10L);

        PodSpec tuned = statefulSetPod(Charts.template(CHART, Map.of("config.shutdownTimeoutSeconds", 90,
                "config.preStopSleepSeconds", 8), REPLICATED_VALUES));
        Container replica = tuned.getContainers().get(0);
        assertThat(replica.getLifecycle().getPreStop().getExec().getCommand()).isEqualTo(List.of("sleep", "8"));
        assertThat(Rendered.env(replica)).containsEntry("SE_SHUTDOWN_TIMEOUT", "90s");
        assertThat(tuned.getTerminationGracePeriodSeconds()).isEqualTo(90L + 8L + 10L);
    }

    @Test
    void aZeroSleepRendersNoPreStop() {
        PodSpec pod = Charts.template(CHART, Map.of("config.preStopSleepSeconds", 0)).all(Deployment.class).get(0)
                .getSpec().getTemplate().getSpec();
        assertThat(pod.getContainers().get(0).getLifecycle()).isNull();
        assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(40L);
    }

    private static PodSpec statefulSetPod(Rendered r) {
        return r.one(StatefulSet.class, REPLICATED_NAME).getSpec().getTemplate().getSpec();
    }
}
