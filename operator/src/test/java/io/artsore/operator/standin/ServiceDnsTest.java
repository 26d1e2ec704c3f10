package io.artsore.operator.standin;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceDnsTest {
    private static final Map<String, String> LABELS = Map.of("app", "se-r", "tier", "data");
    private static final Service CLUSTER_IP = service("se-r", null, false);
    private static final Service HEADLESS = service("se-r-headless", "None", true);

    @Test
    void aServiceNameResolvesToReadyPodsOnly() {
        List<String> lines = ServiceDns.hostsLines(List.of(CLUSTER_IP), List.of(
                pod("se-r-0", "10.0.0.2", true), pod("se-r-1", "10.0.0.3", false)));

        assertThat(lines).contains("10.0.0.2 se-r.storage.svc", "10.0.0.2 se-r.storage.svc.cluster.local")
                .noneMatch(l -> l.startsWith("10.0.0.3"));
    }

    @Test
    void aHeadlessServiceThatPublishesNotReadyPodsNamesEachPod() {
        List<String> lines = ServiceDns.hostsLines(List.of(HEADLESS), List.of(pod("se-r-1", "10.0.0.3", false)));

        assertThat(lines).contains("10.0.0.3 se-r-1.se-r-headless.storage.svc",
                "10.0.0.3 se-r-1.se-r-headless.storage.svc.cluster.local");
    }

    @Test
    void aContainerIsReachableByItsHeadlessNameAndTheServicesThatSelectIt() {
        Service other = new ServiceBuilder(CLUSTER_IP).editMetadata().withName("other").endMetadata()
                .editSpec().withSelector(Map.of("app", "other")).endSpec().build();

        assertThat(ServiceDns.aliases(pod("se-r-1", null, false), List.of(CLUSTER_IP, HEADLESS, other)))
                .containsExactlyInAnyOrder("se-r-1.se-r-headless.storage.svc",
                        "se-r-1.se-r-headless.storage.svc.cluster.local", "se-r.storage.svc",
                        "se-r.storage.svc.cluster.local", "se-r-headless.storage.svc",
                        "se-r-headless.storage.svc.cluster.local");
    }

    private static ServiceDns.PodAddress pod(String name, String ip, boolean ready) {
        return new ServiceDns.PodAddress("storage", name, LABELS, "se-r-headless", ip, ready);
    }

    private static Service service(String name, String clusterIp, boolean publishNotReady) {
        return new ServiceBuilder().withNewMetadata().withName(name).withNamespace("storage").endMetadata()
                .withNewSpec().withClusterIP(clusterIp).withPublishNotReadyAddresses(publishNotReady)
                .withSelector(Map.of("app", "se-r")).endSpec().build();
    }
}
