package io.artsore.operator.crd;

import static io.artsore.operator.crd.CelRules.onlyRule;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.types.OpaqueType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Storage rules of the CRD (issue 15, item 5), evaluated as committed in crds/ with the CEL reference
 * implementation. The size rules use the Kubernetes quantity library ({@code quantity(string)},
 * {@code Quantity.compareTo}), which the API server provides to CRD validation rules (Kubernetes 1.29+) but the
 * plain CEL runtime does not: this test declares those two functions with the same signatures, the values parsed
 * by fabric8's {@link Quantity} (binary and decimal suffixes).
 */
class CrdStorageRulesTest {
    private static final OpaqueType QUANTITY = OpaqueType.create("kubernetes.Quantity");
    private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("self", SimpleType.DYN).addVar("oldSelf", SimpleType.DYN)
            .addFunctionDeclarations(
                    CelFunctionDecl.newFunctionDeclaration("quantity",
                            CelOverloadDecl.newGlobalOverload("string_to_quantity", QUANTITY, SimpleType.STRING)),
                    CelFunctionDecl.newFunctionDeclaration("compareTo",
                            CelOverloadDecl.newMemberOverload("quantity_compareTo", SimpleType.INT, QUANTITY, QUANTITY)))
            .build();
    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder()
            .addFunctionBindings(
                    CelFunctionBinding.from("string_to_quantity", String.class,
                            s -> new Amount(Quantity.getAmountInBytes(new Quantity(s)))),
                    CelFunctionBinding.from("quantity_compareTo", Amount.class, Amount.class,
                            (a, b) -> (long) Integer.signum(a.bytes().compareTo(b.bytes()))))
            .build();
    private static final CelRules CEL = new CelRules(COMPILER, RUNTIME);

    /** A parsed quantity (opaque to CEL). */
    record Amount(BigDecimal bytes) {
    }

    static Stream<Arguments> sizeChanges() {
        return Stream.of(
                Arguments.of("2Gi", "2Gi", true), Arguments.of("2Gi", "3Gi", true),
                Arguments.of("2Gi", "2048Mi", true), Arguments.of("1Gi", "1Ti", true),
                Arguments.of("2Gi", "2G", false), Arguments.of("2Gi", "1Gi", false),
                Arguments.of("1Ti", "1023Gi", false), Arguments.of("1500M", "1.5G", true),
                Arguments.of("10Gi", "9.5Gi", false));
    }

    @ParameterizedTest(name = "dataSize {0} -> {1} allowed: {2}")
    @MethodSource("sizeChanges")
    void dataSizeNeverShrinks(String from, String to, boolean allowed) throws Exception {
        assertThat(CEL.eval(onlyRule(storage().getProperties().get("dataSize")), to, from)).isEqualTo(allowed);
    }

    @ParameterizedTest(name = "walSize {0} -> {1} allowed: {2}")
    @MethodSource("sizeChanges")
    void walSizeNeverShrinks(String from, String to, boolean allowed) throws Exception {
        assertThat(CEL.eval(onlyRule(storage().getProperties().get("walSize")), to, from)).isEqualTo(allowed);
    }

    @Test
    void sizeRulesUseTheKubernetesQuantityLibrary() throws Exception {
        for (String field : List.of("dataSize", "walSize")) {
            ValidationRule rule = storage().getProperties().get(field).getXKubernetesValidations().getFirst();
            assertThat(rule.getRule()).isEqualTo("quantity(self).compareTo(quantity(oldSelf)) >= 0");
            assertThat(rule.getMessage()).contains(field).contains("cannot shrink");
        }
    }

    static Stream<Arguments> storageChanges() {
        return Stream.of(
                Arguments.of("class unset -> set", storage(null, null), storage("fast", null), true),
                Arguments.of("class kept", storage("fast", null), storage("fast", null), true),
                Arguments.of("class changed", storage("fast", null), storage("slow", null), false),
                Arguments.of("class removed", storage("fast", null), storage(null, null), false),
                Arguments.of("modes unset -> set", storage(null, null), storage(null, List.of("ReadWriteMany")), true),
                Arguments.of("modes kept", storage(null, List.of("ReadWriteMany")),
                        storage(null, List.of("ReadWriteMany")), true),
                Arguments.of("modes changed", storage(null, List.of("ReadWriteMany")),
                        storage(null, List.of("ReadWriteOnce")), false),
                Arguments.of("modes removed", storage(null, List.of("ReadWriteMany")), storage(null, null), false),
                Arguments.of("size grows, class and modes kept", storage("fast", List.of("ReadWriteOnce")),
                        with(storage("fast", List.of("ReadWriteOnce")), "dataSize", "4Gi"), true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("storageChanges")
    void storageClassAndAccessModesAreImmutableOnceSet(String name, Map<String, Object> old,
                                                       Map<String, Object> updated, boolean allowed) throws Exception {
        assertThat(CEL.allAdmit(storage(), 2, updated, old)).isEqualTo(allowed);
    }

    private static JSONSchemaProps storage() throws Exception {
        return CrdFileTest.spec(CrdFileTest.load()).getProperties().get("storage");
    }

    /** A storage block after API-server defaulting. */
    private static Map<String, Object> storage(String storageClassName, List<String> accessModes) {
        Map<String, Object> storage = new HashMap<>();
        storage.put("dataSize", "2Gi");
        storage.put("walSize", "1Gi");
        storage.put("retainOnDelete", true);
        if (storageClassName != null) {
            storage.put("storageClassName", storageClassName);
        }
        if (accessModes != null) {
            storage.put("dataAccessModes", accessModes);
        }
        return storage;
    }

    private static Map<String, Object> with(Map<String, Object> map, String key, Object value) {
        Map<String, Object> copy = new HashMap<>(map);
        copy.put(key, value);
        return copy;
    }
}
