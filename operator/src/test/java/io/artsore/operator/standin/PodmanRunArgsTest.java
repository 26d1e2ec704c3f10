package io.artsore.operator.standin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.artsore.operator.crd.ElementMode;
import io.artsore.operator.crd.StorageElement;
import io.artsore.operator.reconcile.PodTemplateFactory;
import io.artsore.operator.support.Elements;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The operator's real pod template, turned into podman arguments as the kubelet would run it. */
class PodmanRunArgsTest {
    private static final Map<String, String> SOURCES = Map.of("data", "vol-data", "wal", "vol-wal",
            "certs", "/host/certs", "tmp", "vol-tmp");

    @Test
    void theSecurityContextLimitsAndMountsOfTheElementPodReachPodman() {
        Pod pod = pod("se-r-1", replicatedTemplate());
        List<String> args = args(pod);

        assertThat(String.join(" ", args)).contains("--user 10001:10001", "--group-add 10001",
                "--read-only --read-only-tmpfs=false", "--security-opt no-new-privileges", "--cap-drop ALL",
                "--memory 1073741824b", "--stop-timeout 45",
                "-v vol-data:/data:nocopy", "-v vol-wal:/wal:nocopy", "-v /host/certs:/certs:ro",
                "-v vol-tmp:/tmp:nocopy", "--network-alias se-r-1.se-r-headless.storage.svc");
        assertThat(args.get(args.size() - 1)).isEqualTo(pod.getSpec().getContainers().get(0).getImage());
    }

    @Test
    void envValuesFromTheDownwardApiAreExpandedInLaterValues() {
        Pod pod = pod("se-r-1", replicatedTemplate());
        Map<String, String> env = PodmanRunArgs.env(pod, pod.getSpec().getContainers().get(0), ref -> null);

        assertThat(env).containsEntry("POD_NAME", "se-r-1")
                .containsEntry("SE_ADVERTISED_ADDRESS", "se-r-1.se-r-headless.storage.svc.cluster.local:8010")
                .containsEntry("SE_DATA_DIR", "/data");
    }

    @Test
    void aMissingSecretKeyStopsTheContainerFromStarting() {
        Pod pod = pod("se-r-0", replicatedTemplate());
        Container container = pod.getSpec().getContainers().get(0);
        container.getEnv().add(new EnvVarBuilder().withName("TOKEN").withNewValueFrom().withNewSecretKeyRef()
                .withName("missing").withKey("token").endSecretKeyRef().endValueFrom().build());

        assertThatThrownBy(() -> PodmanRunArgs.env(pod, container, ref -> null))
                .hasMessageContaining("Secret missing key token not found");
    }

    @Test
    void runAsNonRootWithoutAUserIsRefused() {
        Pod pod = pod("se-r-0", replicatedTemplate());
        pod.getSpec().getSecurityContext().setRunAsUser(null);
        pod.getSpec().getContainers().get(0).getSecurityContext().setRunAsUser(null);

        assertThatThrownBy(() -> args(pod)).hasMessageContaining("runAsNonRoot");
    }

    private static List<String> args(Pod pod) {
        return PodmanRunArgs.of(pod, pod.getSpec().getContainers().get(0), "c", "net",
                List.of("se-r-1.se-r-headless.storage.svc"), SOURCES, ref -> null, Collections.emptyList());
    }

    private static PodTemplateSpec replicatedTemplate() {
        StorageElement element = Elements.replicated("se-r", ElementMode.RW, 3);
        return PodTemplateFactory.build(element, ElementMode.RW,
                PodTemplateFactory.claimVolume("data", "se-r-data"), null);
    }

    private static Pod pod(String name, PodTemplateSpec template) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace(Elements.NAMESPACE).endMetadata()
                .withSpec(template.getSpec()).build();
    }
}
