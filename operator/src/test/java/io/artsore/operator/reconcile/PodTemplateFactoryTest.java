package io.artsore.operator.reconcile;

import static io.artsore.operator.reconcile.StandaloneObjectsTest.env;
import static org.assertj.core.api.Assertions.assertThat;

import io.artsore.operator.crd.ElementMode;
import io.artsore.operator.crd.SecretKeyRef;
import io.artsore.operator.crd.StorageElement;
import io.artsore.operator.support.Elements;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodTemplateFactoryTest {

    @Test
    void caBundleIsMountedAndNamedInSeCaCertPath() {
        StorageElement element = Elements.minimal("se-1", ElementMode.RW);
        element.getSpec().auth.caBundleSecretRef = new SecretKeyRef("corp-ca", "ca.crt");

        PodTemplateSpec template = WorkloadFactory.deployment(element, ElementMode.RW).getSpec().getTemplate();

        assertThat(env(template.getSpec().getContainers().getFirst()))
                .containsEntry("SE_CA_CERT_PATH", "/etc/artsore/ca/ca.crt");
        assertThat(template.getSpec().getVolumes()).filteredOn(v -> v.getName().equals("ca"))
                .singleElement().extracting(Volume::getSecret).satisfies(s ->
                        assertThat(s.getSecretName()).isEqualTo("corp-ca"));
    }

    @Test
    void podOverridesArePassedThrough() {
        StorageElement element = Elements.minimal("se-1", ElementMode.RW);
        element.getSpec().pod.nodeSelector = Map.of("disk", "ssd");
        element.getSpec().pod.tolerations = List.of(new TolerationBuilder().withKey("storage").withOperator("Exists").build());
        element.getSpec().pod.shutdownTimeoutSeconds = 120;
        element.getSpec().pod.annotations = Map.of("prometheus.io/scrape", "true");
        element.getSpec().port = 9443;

        PodTemplateSpec template = WorkloadFactory.deployment(element, ElementMode.RW).getSpec().getTemplate();

        assertThat(template.getSpec().getNodeSelector()).isEqualTo(Map.of("disk", "ssd"));
        assertThat(template.getSpec().getTolerations()).singleElement().satisfies(t -> assertThat(t.getKey()).isEqualTo("storage"));
        assertThat(template.getSpec().getTerminationGracePeriodSeconds()).isEqualTo(120L + 5L + 10L);
        assertThat(template.getMetadata().getAnnotations()).containsEntry("prometheus.io/scrape", "true");
        assertThat(template.getSpec().getContainers().getFirst().getPorts().getFirst().getContainerPort()).isEqualTo(9443);
        assertThat(env(template.getSpec().getContainers().getFirst())).containsEntry("SE_PORT", "9443");
    }

    @Test
    void initialModeComesFromTheExistingTemplateNotFromTheSpec() {
        StorageElement element = Elements.minimal("se-1", ElementMode.RW);
        PodTemplateSpec existing = WorkloadFactory.deployment(element, ElementMode.RW).getSpec().getTemplate();

        assertThat(InitialMode.resolve(existing, ElementMode.AR)).isEqualTo(ElementMode.RW);
        assertThat(InitialMode.resolve(null, ElementMode.AR)).isEqualTo(ElementMode.AR);
    }

    @Test
    void explicitMaxCapacityWinsOverTheDataClaimSize() {
        StorageElement element = Elements.minimal("se-1", ElementMode.RW);
        element.getSpec().maxCapacity = 5_000_000_000L;
        assertThat(env(WorkloadFactory.deployment(element, ElementMode.RW).getSpec().getTemplate().getSpec()
                .getContainers().getFirst())).containsEntry("SE_MAX_CAPACITY", "5000000000");
    }
}
