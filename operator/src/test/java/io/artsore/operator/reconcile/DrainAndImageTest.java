package io.artsore.operator.reconcile;

import static io.artsore.operator.reconcile.StandaloneObjectsTest.env;
import static org.assertj.core.api.Assertions.assertThat;

import io.artsore.operator.crd.ElementMode;
import io.artsore.operator.crd.StorageElement;
import io.artsore.operator.support.Elements;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Graceful drain (preStop, SE_SHUTDOWN_TIMEOUT, grace period) and the pinned default image (issue 15, items 2, 6). */
class DrainAndImageTest {

    @Test
    void defaultsSleepFiveSecondsDrainThirtyAndGiveTheirSumPlusAMargin() {
        PodSpec pod = standalonePod(Elements.minimal("se-1", ElementMode.RW));
        Container se = pod.getContainers().getFirst();

        assertThat(se.getLifecycle().getPreStop().getExec().getCommand()).containsExactly("sleep", "5");
        assertThat(env(se)).containsEntry("SE_SHUTDOWN_TIMEOUT", "30s");
        assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(30L + 5L + 10L);
    }

    @Test
    void oneFieldDrivesTheElementsShutdownTimeoutAndThePodsGracePeriod() {
        StorageElement element = Elements.replicated("se-r", ElementMode.RW, 3);
        element.getSpec().pod.shutdownTimeoutSeconds = 90;
        element.getSpec().pod.preStopSleepSeconds = 8;
        PodSpec pod = WorkloadFactory.statefulSet(element, ElementMode.RW).getSpec().getTemplate().getSpec();
        Container se = pod.getContainers().getFirst();

        assertThat(env(se)).containsEntry("SE_SHUTDOWN_TIMEOUT", "90s");
        assertThat(se.getLifecycle().getPreStop().getExec().getCommand()).containsExactly("sleep", "8");
        assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(90L + 8L + 10L);
    }

    @Test
    void zeroSleepMeansNoPreStopHook() {
        StorageElement element = Elements.minimal("se-1", ElementMode.RW);
        element.getSpec().pod.preStopSleepSeconds = 0;
        PodSpec pod = standalonePod(element);

        assertThat(pod.getContainers().getFirst().getLifecycle()).isNull();
        assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(40L);
    }

    @Test
    void defaultImageIsTheElementReleaseOfTheOperatorsOwnVersionNeverLatest() {
        String version = OperandImage.operatorVersion();
        assertThat(version).isNotBlank().doesNotContain("${").isNotEqualTo("latest");
        assertThat(version).matches(Pattern.compile("\\d+\\.\\d+\\.\\d+.*"));

        assertThat(OperandImage.resolve(Map.of(), version)).isEqualTo("artsore/storage-element:" + version);
        assertThat(standalonePod(Elements.minimal("se-1", ElementMode.RW)).getContainers().getFirst().getImage())
                .isEqualTo(OperandImage.defaultImage())
                .doesNotEndWith(":latest");
    }

    @Test
    void operatorEnvironmentSetsTheDefaultAndSpecImageOverridesIt() {
        assertThat(OperandImage.resolve(Map.of("OPERATOR_ELEMENT_IMAGE", "registry.example/se:1.2.3"), "9.9.9"))
                .isEqualTo("registry.example/se:1.2.3");
        assertThat(OperandImage.resolve(Map.of("OPERATOR_ELEMENT_IMAGE", " "), "9.9.9"))
                .isEqualTo("artsore/storage-element:9.9.9");

        StorageElement element = Elements.minimal("se-1", ElementMode.RW);
        element.getSpec().image = "artsore/storage-element:2.0.0";
        assertThat(standalonePod(element).getContainers().getFirst().getImage())
                .isEqualTo("artsore/storage-element:2.0.0");
    }

    @Test
    void theCrdNoLongerDefaultsTheImage() throws Exception {
        String crd = java.nio.file.Files.readString(io.artsore.operator.support.MockCluster.CRD_FILE);
        assertThat(crd).doesNotContain(":latest");
    }

    private static PodSpec standalonePod(StorageElement element) {
        return WorkloadFactory.deployment(element, ElementMode.RW).getSpec().getTemplate().getSpec();
    }
}
