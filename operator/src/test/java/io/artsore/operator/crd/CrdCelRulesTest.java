package io.artsore.operator.crd;

import static io.artsore.operator.crd.CelRules.onlyRule;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Evaluates the CEL rules exactly as committed in crds/ with the CEL reference implementation, the way the
 * API server does: with {@code self} the new value and {@code oldSelf} the stored one (after defaulting).
 */
class CrdCelRulesTest {
    private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("self", SimpleType.DYN).addVar("oldSelf", SimpleType.DYN).build();
    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();
    private static final CelRules CEL = new CelRules(COMPILER, RUNTIME);

    static Stream<Arguments> modeChanges() {
        return Stream.of(
                Arguments.of("rw", "rw", true), Arguments.of("rw", "ro", true), Arguments.of("ro", "ar", true),
                Arguments.of("ro", "rw", true), Arguments.of("rw", "ar", true), Arguments.of("edit", "edit", true),
                Arguments.of("edit", "rw", false), Arguments.of("edit", "ro", false),
                Arguments.of("rw", "edit", false), Arguments.of("ro", "edit", false),
                Arguments.of("ar", "ro", false), Arguments.of("ar", "rw", false), Arguments.of("ar", "edit", false));
    }

    @ParameterizedTest(name = "mode {0} -> {1} allowed: {2}")
    @MethodSource("modeChanges")
    void modeTransitionRule(String from, String to, boolean allowed) throws Exception {
        assertThat(CEL.eval(onlyRule(spec().getProperties().get("mode")), to, from)).isEqualTo(allowed);
    }

    @ParameterizedTest(name = "{0} is immutable")
    @MethodSource("immutableFields")
    void immutableFields(String field, String oldValue, String newValue) throws Exception {
        String rule = onlyRule(spec().getProperties().get(field));
        assertThat(CEL.eval(rule, oldValue, oldValue)).isTrue();
        assertThat(CEL.eval(rule, newValue, oldValue)).isFalse();
    }

    static Stream<Arguments> immutableFields() {
        return Stream.of(Arguments.of("storageId", "se-01", "se-02"),
                Arguments.of("replicaMode", "standalone", "replicated"));
    }

    static Stream<Arguments> specCases() {
        return Stream.of(
                Arguments.of("ro -> rw without confirmRollback", spec("ro", false), spec("rw", false), false),
                Arguments.of("ro -> rw with confirmRollback", spec("ro", false), spec("rw", true), true),
                Arguments.of("rw -> ro", spec("rw", false), spec("ro", false), true),
                Arguments.of("standalone with 2 replicas", spec("rw", false), with(spec("rw", false), "replicas", 2L), false),
                Arguments.of("replicated with 3 replicas", replicated(spec("rw", false)),
                        with(replicated(spec("rw", false)), "replicas", 3L), true),
                Arguments.of("maxCapacity below maxFileSize", spec("rw", false),
                        with(spec("rw", false), "maxCapacity", 100L), false),
                Arguments.of("maxCapacity above maxFileSize", spec("rw", false),
                        with(spec("rw", false), "maxCapacity", 2_000_000_000L), true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specCases")
    void specLevelRules(String name, Map<String, Object> old, Map<String, Object> updated, boolean allowed)
            throws Exception {
        assertThat(CEL.allAdmit(spec(), 3, updated, old)).isEqualTo(allowed);
    }

    static Stream<Arguments> tokenSources() {
        return Stream.of(
                Arguments.of(Map.of("secretRef", Map.of("name", "t", "key", "token")), true),
                Arguments.of(Map.of("clientCredentials", Map.of("tokenUrl", "https://kc/token")), true),
                Arguments.of(Map.of("secretRef", Map.of("name", "t", "key", "token"),
                        "clientCredentials", Map.of("tokenUrl", "https://kc/token")), false),
                Arguments.of(Map.of(), false));
    }

    @ParameterizedTest
    @MethodSource("tokenSources")
    void tokenSourceNamesExactlyOneSource(Map<String, Object> source, boolean allowed) throws Exception {
        String rule = onlyRule(spec().getProperties().get("auth").getProperties().get("tokenSource"));
        assertThat(CEL.eval(rule, source, null)).isEqualTo(allowed);
    }

    private static JSONSchemaProps spec() throws Exception {
        return CrdFileTest.spec(CrdFileTest.load());
    }

    /** A spec after API-server defaulting. */
    private static Map<String, Object> spec(String mode, boolean confirmRollback) {
        Map<String, Object> spec = new HashMap<>();
        spec.put("storageId", "se-01");
        spec.put("mode", mode);
        spec.put("confirmRollback", confirmRollback);
        spec.put("replicaMode", "standalone");
        spec.put("replicas", 1L);
        spec.put("maxFileSize", 1_073_741_824L);
        return spec;
    }

    private static Map<String, Object> replicated(Map<String, Object> spec) {
        return with(spec, "replicaMode", "replicated");
    }

    private static Map<String, Object> with(Map<String, Object> spec, String key, Object value) {
        Map<String, Object> copy = new HashMap<>(spec);
        copy.put(key, value);
        return copy;
    }
}
