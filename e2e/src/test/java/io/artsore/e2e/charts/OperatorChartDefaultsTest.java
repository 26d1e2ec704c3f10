package io.artsore.e2e.charts;

import io.artsore.operator.reconcile.OperandImage;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator chart's defaults for issue 15 and the issue 14 leftovers: the pinned element image
 * (OPERATOR_ELEMENT_IMAGE), the resync period (OPERATOR_RESYNC_SECONDS) and the PodDisruptionBudget permission.
 */
class OperatorChartDefaultsTest {

    private static final String CHART = "storage-element-operator";
    private static final String NAME = "rel-storage-element-operator";

    @Test
    void elementImageDefaultsToTheElementReleaseOfTheOperatorsVersion() throws IOException {
        Map<String, String> env = Rendered.env(container(Charts.template(CHART, Map.of())));
        String appVersion = Files.readAllLines(Charts.chartDir(CHART).resolve("Chart.yaml")).stream()
                .filter(l -> l.startsWith("appVersion:")).findFirst().orElseThrow()
                .substring("appVersion:".length()).trim().replace("\"", "");

        assertThat(appVersion).isEqualTo(OperandImage.operatorVersion());
        assertThat(env).containsEntry("OPERATOR_ELEMENT_IMAGE", "localhost/artsore/storage-element:" + appVersion);
        assertThat(env.get("OPERATOR_ELEMENT_IMAGE")).doesNotEndWith(":latest");
    }

    @Test
    void elementImageRepositoryAndTagAreSettable() {
        Map<String, String> env = Rendered.env(container(Charts.template(CHART, Map.of(
                "elementImage.repository", "registry.example/artsore/se", "elementImage.tag", "1.2.3"))));
        assertThat(env).containsEntry("OPERATOR_ELEMENT_IMAGE", "registry.example/artsore/se:1.2.3");
    }

    @Test
    void resyncSecondsIsAValue() {
        assertThat(Rendered.env(container(Charts.template(CHART, Map.of()))))
                .containsEntry("OPERATOR_RESYNC_SECONDS", "120");
        assertThat(Rendered.env(container(Charts.template(CHART, Map.of("resyncSeconds", 30)))))
                .containsEntry("OPERATOR_RESYNC_SECONDS", "30");
    }

    @Test
    void operatorMayManagePodDisruptionBudgets() {
        ClusterRole role = Charts.template(CHART, Map.of()).all(ClusterRole.class).get(0);
        assertThat(role.getRules()).anySatisfy(r -> {
            assertThat(r.getApiGroups()).containsExactly("policy");
            assertThat(r.getResources()).containsExactly("poddisruptionbudgets");
            assertThat(r.getVerbs()).contains("get", "list", "watch", "create", "patch", "delete");
        });
    }

    @Test
    void secretsRuleCommentNamesTheCaOfElementTlsSecrets() throws IOException {
        String helpers = Files.readString(Charts.chartDir(CHART).resolve("templates/_helpers.tpl"));
        String comment = helpers.substring(0, helpers.indexOf("resources: [secrets]"));
        comment = comment.substring(comment.lastIndexOf("verbs:"));
        assertThat(comment).contains("ca.crt").contains("TLS Secret");
    }

    private static Container container(Rendered r) {
        return r.one(Deployment.class, NAME).getSpec().getTemplate().getSpec().getContainers().get(0);
    }

}
