package io.artsore.operator.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import java.util.Map;

/**
 * The default spreading of a replicated element's pods, which the operator and the storage-element chart both
 * promise: a preferred (weight 100) anti-affinity on kubernetes.io/hostname and one ScheduleAnyway spread over
 * topology.kubernetes.io/zone with maxSkew 1, both selecting the element's pods. One assertion for both tests
 * (operator reconcile and e2e chart) keeps the two promises the same.
 */
public final class DefaultSpreading {
    private DefaultSpreading() {
    }

    public static void assertDefaultSpreading(PodSpec pod, Map<String, String> selector) {
        WeightedPodAffinityTerm term = pod.getAffinity().getPodAntiAffinity()
                .getPreferredDuringSchedulingIgnoredDuringExecution().getFirst();
        assertThat(term.getWeight()).isEqualTo(100);
        assertThat(term.getPodAffinityTerm().getTopologyKey()).isEqualTo("kubernetes.io/hostname");
        assertThat(term.getPodAffinityTerm().getLabelSelector().getMatchLabels()).isEqualTo(selector);
        assertThat(pod.getTopologySpreadConstraints()).singleElement().satisfies(c -> {
            assertThat(c.getTopologyKey()).isEqualTo("topology.kubernetes.io/zone");
            assertThat(c.getMaxSkew()).isEqualTo(1);
            assertThat(c.getWhenUnsatisfiable()).isEqualTo("ScheduleAnyway");
            assertThat(c.getLabelSelector().getMatchLabels()).isEqualTo(selector);
        });
    }
}
