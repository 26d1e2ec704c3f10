package io.artsore.e2e.charts;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The parser every chart test relies on: typed objects, and no silently ignored misspelt field. */
class ChartsParseTest {

    private static final String DEPLOYMENT = """
            # Source: x/templates/deployment.yaml
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: d}
            spec:
              template:
                spec:
                  containers:
                    - name: c
                      %s:
                        httpGet: {path: /health/ready, port: 8010}
            ---
            # Source: x/templates/empty.yaml
            ---
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata: {name: c}
            spec: {anything: goes}
            """;

    @Test
    void parsesKnownKindsIntoModelClassesAndOthersGenerically() {
        Rendered r = new Rendered(Charts.parse(DEPLOYMENT.formatted("readinessProbe")));

        assertThat(r.names()).containsExactly("Deployment/d", "Certificate/c");
        assertThat(r.one(io.fabric8.kubernetes.api.model.apps.Deployment.class, "d").getSpec().getTemplate()
                .getSpec().getContainers().get(0).getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health/ready");
        assertThat(r.custom("Certificate")).hasSize(1);
    }

    @Test
    void rejectsAFieldTheModelDoesNotKnow() {
        assertThatThrownBy(() -> Charts.parse(DEPLOYMENT.formatted("readinesProbe")))
                .hasMessageContaining("Deployment/d")
                .hasMessageContaining("spec.template.spec.containers[0].readinesProbe");
    }
}
