package io.artsore.operator.crd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The example resources users copy (chart NOTES, READMEs) are valid against the CRD's schema. */
class DocumentedExamplesTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"../charts/storage-element-operator/templates/NOTES.txt", "../README.md",
            "README.md"})
    void theExampleStorageElementValidates(String file) throws Exception {
        JsonNode resource = YAML.readTree(example(Path.of(file)));
        assertThat(resource.path("apiVersion").asText()).isEqualTo("artsore.io/v1alpha1");
        assertThat(resource.path("kind").asText()).isEqualTo("StorageElement");
        assertThat(resource.path("metadata").path("name").asText()).isNotBlank();
        assertThat(CrdSchemaTest.validate(resource.get("spec"))).as(file).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void theReadmesListThePrinterColumnsInTheOrderKubectlShowsThem() throws Exception {
        String columns = CrdFileTest.load().getSpec().getVersions().getFirst().getAdditionalPrinterColumns().stream()
                .map(c -> c.getName()).collect(Collectors.joining(", "));
        assertThat(Files.readString(Path.of("..", "README.md"))).contains("get se").contains("# " + columns + "\n");
        assertThat(Files.readString(Path.of("README.md"))).contains("prints the columns " + columns + " ");
    }

    /** The first StorageElement in a heredoc ({@code <<'YAML'}) or a yaml code block, indentation removed. */
    static String example(Path file) throws Exception {
        List<String> lines = Files.readAllLines(file);
        int start = -1;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if ((line.endsWith("<<'YAML'") || line.equals("```yaml"))
                    && i + 2 < lines.size() && lines.get(i + 2).contains("kind: StorageElement")) {
                start = i + 1;
                break;
            }
        }
        assertThat(start).as("an example StorageElement in %s", file).isPositive();
        int indent = lines.get(start).length() - lines.get(start).stripLeading().length();
        int from = start;
        return lines.stream().skip(from)
                .takeWhile(l -> !l.trim().equals("YAML") && !l.trim().equals("```"))
                .map(l -> l.length() >= indent ? l.substring(indent) : l.strip())
                .collect(Collectors.joining("\n"));
    }
}
