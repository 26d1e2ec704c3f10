package io.artsore.operator.standin;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import org.junit.jupiter.api.Test;

/** The stand-in replaces pods when, and only when, their template changed. */
class TemplateHashTest {

    @Test
    void theSameTemplateHasTheSameHashAndANewImageANewOne() {
        PodTemplateSpec first = template("localhost/artsore/storage-element:dev");

        assertThat(TemplateHash.of(template("localhost/artsore/storage-element:dev"))).isEqualTo(TemplateHash.of(first));
        assertThat(TemplateHash.of(template("localhost/artsore/storage-element:b"))).isNotEqualTo(TemplateHash.of(first));
        assertThat(TemplateHash.of(first)).matches("[0-9a-f]{10}");
    }

    private static PodTemplateSpec template(String image) {
        return new PodTemplateSpecBuilder().withNewMetadata().addToLabels("app", "se").endMetadata()
                .withNewSpec().addNewContainer().withName("se").withImage(image).endContainer().endSpec().build();
    }
}
