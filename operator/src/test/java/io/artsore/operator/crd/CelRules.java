package io.artsore.operator.crd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cel.compiler.CelCompiler;
import dev.cel.runtime.CelRuntime;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates the CRD's validation rules the way the API server does: {@code self} the new value, {@code oldSelf}
 * the stored one (absent on create). The CEL rule tests share it and differ only in the compiler and runtime they
 * pass, i.e. in the extra functions (such as {@code quantity}) their rules need.
 */
final class CelRules {
    private final CelCompiler compiler;
    private final CelRuntime runtime;

    CelRules(CelCompiler compiler, CelRuntime runtime) {
        this.compiler = compiler;
        this.runtime = runtime;
    }

    boolean eval(String rule, Object self, Object oldSelf) throws Exception {
        CelRuntime.Program program = runtime.createProgram(compiler.compile(rule).getAst());
        Map<String, Object> vars = new HashMap<>();
        vars.put("self", self);
        if (oldSelf != null) {
            vars.put("oldSelf", oldSelf);
        }
        return (Boolean) program.eval(vars);
    }

    /**
     * Whether every rule on {@code schema} admits the change, after asserting there are {@code expectedRules} of
     * them (so that a rule added or dropped in crds/ is noticed, not silently evaluated or skipped).
     */
    boolean allAdmit(JSONSchemaProps schema, int expectedRules, Object self, Object oldSelf) throws Exception {
        List<String> rules = schema.getXKubernetesValidations().stream().map(ValidationRule::getRule).toList();
        assertThat(rules).hasSize(expectedRules);
        boolean all = true;
        for (String rule : rules) {
            all &= eval(rule, self, oldSelf);
        }
        return all;
    }

    /** The rule of a schema that must carry exactly one. */
    static String onlyRule(JSONSchemaProps schema) {
        assertThat(schema.getXKubernetesValidations()).hasSize(1);
        return schema.getXKubernetesValidations().getFirst().getRule();
    }
}
