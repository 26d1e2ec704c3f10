package io.artsore.operator.mode;

import static org.assertj.core.api.Assertions.assertThat;

import io.artsore.operator.crd.ElementMode;
import io.artsore.operator.crd.StorageElement;
import io.artsore.operator.support.Elements;
import io.artsore.operator.support.FakeStorageElement;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LeaderLocatorTest {

    @Test
    void replicatedLeaderIsThePodWhoseInfoSaysLeader() throws Exception {
        try (FakeStorageElement follower = new FakeStorageElement("se-r", "rw", "t").withRole("follower");
             FakeStorageElement leader = new FakeStorageElement("se-r", "rw", "t").withRole("leader")) {
            Map<String, URI> pods = Map.of("se-r-0", follower.baseUri(), "se-r-1", leader.baseUri());
            ElementEndpointResolver resolver = new ElementEndpointResolver() {
                @Override
                public URI serviceUri(StorageElement element) {
                    return follower.baseUri();
                }

                @Override
                public URI podUri(StorageElement element, String podName) {
                    return pods.get(podName);
                }
            };
            LeaderLocator locator = new LeaderLocator(resolver, new ElementApiClient(HttpClient.newHttpClient()));
            StorageElement element = Elements.replicated("se-r", ElementMode.RW, 2);

            assertThat(locator.leader(element, List.of(pod("se-r-0"), pod("se-r-1")))).isEqualTo("se-r-1");
            assertThat(locator.leader(element, List.of(pod("se-r-0")))).isNull();
            assertThat(locator.leader(element, List.of())).isNull();
        }
    }

    private static Pod pod(String name) {
        return new PodBuilder().withNewMetadata().withName(name).endMetadata().build();
    }
}
