package io.artsore.e2e.charts;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Lints and renders the repository's charts with the Helm library bundled by helm-java. */
final class Charts {

    static final String NAMESPACE = "artsore";
    private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---\\s*$");

    private Charts() {
    }

    /** The charts/ directory of the repository (tests run with the e2e module as working directory). */
    static Path chartDir(String chart) {
        Path dir = Path.of("..", "charts", chart).toAbsolutePath().normalize();
        if (!Files.isRegularFile(dir.resolve("Chart.yaml"))) {
            throw new IllegalStateException("no chart at " + dir);
        }
        return dir;
    }

    /** {@code helm lint --strict}: the messages, to assert that there is no warning or error. */
    static LintResult lint(String chart) {
        return new Helm(chartDir(chart)).lint().strict().call();
    }

    /** {@code helm lint --strict} passes and reports no warning or error. */
    static void assertLintClean(String chart) {
        LintResult lint = lint(chart);
        assertThat(lint.isFailed()).as("%s", lint.getMessages()).isFalse();
        assertThat(lint.getMessages()).noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
    }

    /** {@code helm template} with --set values (applied in order) and optional values files. */
    static Rendered template(String chart, Map<String, Object> sets, Path... valuesFiles) {
        TemplateCommand command = new Helm(chartDir(chart)).template().withName("rel").withNamespace(NAMESPACE);
        for (Path file : valuesFiles) {
            command = command.withValuesFile(file);
        }
        for (Map.Entry<String, Object> set : sets.entrySet()) {
            command = command.set(set.getKey(), set.getValue());
        }
        return new Rendered(parse(command.call()));
    }

    /**
     * Every non-empty YAML document as a typed model object (kinds without a model class:
     * GenericKubernetesResource). Fails on a field the model does not know (see {@link UnknownFields}).
     */
    static List<HasMetadata> parse(String manifests) {
        List<HasMetadata> objects = new ArrayList<>();
        for (String document : DOCUMENT_SEPARATOR.split(manifests)) {
            if (document.lines().anyMatch(line -> !line.isBlank() && !line.startsWith("#"))) {
                HasMetadata object = Serialization.unmarshal(document, HasMetadata.class);
                List<String> unknown = UnknownFields.in(object);
                if (!unknown.isEmpty()) {
                    throw new AssertionError(object.getKind() + "/" + object.getMetadata().getName()
                            + " has fields Kubernetes does not know: " + unknown);
                }
                objects.add(object);
            }
        }
        return objects;
    }
}
