package io.artsore.operator.crd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.artsore.operator.support.Elements;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The structural schema of crds/ checked with a JSON Schema validator (the mock API server does not validate):
 * the minimal resource passes, typical mistakes are rejected.
 */
class CrdSchemaTest {
    private static final JsonSchema SCHEMA = schema();

    @Test
    void minimalResourceIsValid() {
        assertThat(validate(minimal())).isEmpty();
    }

    static Stream<Arguments> invalidSpecs() {
        return Stream.<Arguments>of(
                Arguments.of("no storageId", (Consumer<ObjectNode>) s -> s.remove("storageId")),
                Arguments.of("upper-case storageId", (Consumer<ObjectNode>) s -> s.put("storageId", "SE_01")),
                Arguments.of("unknown mode", (Consumer<ObjectNode>) s -> s.put("mode", "rwx")),
                Arguments.of("unknown replicaMode", (Consumer<ObjectNode>) s -> s.put("replicaMode", "cluster")),
                Arguments.of("privileged port", (Consumer<ObjectNode>) s -> s.put("port", 80)),
                Arguments.of("zero replicas", (Consumer<ObjectNode>) s -> s.put("replicas", 0)),
                Arguments.of("bad duration", (Consumer<ObjectNode>) s -> s.put("gcInterval", "1 hour")),
                Arguments.of("bad log level", (Consumer<ObjectNode>) s -> s.put("logLevel", "trace")),
                Arguments.of("no jwksUrl", (Consumer<ObjectNode>) s -> ((ObjectNode) s.get("auth")).remove("jwksUrl")),
                Arguments.of("bad dataSize", (Consumer<ObjectNode>) s -> ((ObjectNode) s.get("storage")).put("dataSize", "lots")),
                Arguments.of("no issuer", (Consumer<ObjectNode>) s -> ((ObjectNode) s.get("tls")).remove("issuerRef")),
                Arguments.of("issuer kind", (Consumer<ObjectNode>) s -> ((ObjectNode) s.get("tls").get("issuerRef")).put("kind", "Vault")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidSpecs")
    void invalidResourcesAreRejected(String name, Consumer<ObjectNode> breakIt) {
        ObjectNode spec = minimal();
        breakIt.accept(spec);
        assertThat(validate(spec)).as(name).isNotEmpty();
    }

    private static ObjectNode minimal() {
        JsonNode spec = Serialization.jsonMapper().valueToTree(Elements.minimal("se-01", ElementMode.RW).getSpec());
        return (ObjectNode) spec;
    }

    static Set<ValidationMessage> validate(JsonNode spec) {
        return SCHEMA.validate(spec);
    }

    private static JsonSchema schema() {
        try {
            JsonNode specSchema = Serialization.jsonMapper().valueToTree(CrdFileTest.spec(CrdFileTest.load()));
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(specSchema);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
