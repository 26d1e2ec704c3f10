package io.artsore.e2e.charts;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Argo CD health check (files/argocd-health.lua) for issue 15, item 7, run with luaj as Argo CD runs it: a mode
 * change on its way is Progressing (never Degraded), a crash-looping pod, a lost data volume, a refused apply and a
 * final mode refusal are Degraded, a refusal recorded for an older generation is not.
 */
class ArgoCdHealthDegradedAndProgressingTest {

    @Test
    void intermediateStepOfRwToRoToArIsProgressing() throws IOException {
        Map<String, String> hs = health(element(7, status(7, "ro",
                ready("False", "ModeNotSynced"), modeSynced("False", "TransitionInProgress"))));
        assertThat(hs).containsEntry("status", "Progressing");
        assertThat(hs.get("message")).startsWith("TransitionInProgress");
    }

    @Test
    void everyStateOfAnArchiveIsProgressingUntilHealthy() throws IOException {
        // spec.mode ar written: not yet observed, first step accepted, second step accepted
        assertThat(health(element(8, status(7, "rw", ready("True", "Online"), modeSynced("True", "InSync")))))
                .containsEntry("status", "Progressing");
        assertThat(health(element(8, status(8, "ro", ready("False", "ModeNotSynced"),
                modeSynced("False", "TransitionInProgress"))))).containsEntry("status", "Progressing");
        assertThat(health(element(8, status(8, "ar", ready("True", "Online"), modeSynced("True", "InSync")))))
                .containsEntry("status", "Healthy");
    }

    @ParameterizedTest
    @ValueSource(strings = {"LEADER_UNAVAILABLE", "RECONCILE_IN_PROGRESS"})
    void refusalsTheOperatorRetriesAreProgressing(String reason) throws IOException {
        assertThat(health(element(3, status(3, "rw", ready("False", "ModeNotSynced"), modeSynced("False", reason)))))
                .containsEntry("status", "Progressing");
    }

    @Test
    void crashLoopingPodIsDegraded() throws IOException {
        Map<String, String> hs = health(element(2, status(2, "rw", ready("False", "PodsFailing"),
                modeSynced("Unknown", "PodsNotReady"))));
        assertThat(hs).containsEntry("status", "Degraded");
        assertThat(hs.get("message")).startsWith("PodsFailing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"DataVolumeMissing", "ApplyFailed", "ReconcileFailed"})
    void operatorBlockersAreDegradedEvenWhileTheElementIsInSync(String reason) throws IOException {
        Map<String, String> hs = health(element(4, status(4, "rw", ready("False", reason), modeSynced("True", "InSync"))));
        assertThat(hs).containsEntry("status", "Degraded");
        assertThat(hs.get("message")).startsWith(reason);
    }

    @ParameterizedTest
    @ValueSource(strings = {"INVALID_TRANSITION", "CONFIRMATION_REQUIRED", "UNAUTHORIZED", "TokenUnavailable"})
    void finalModeRefusalIsDegraded(String reason) throws IOException {
        assertThat(health(element(5, status(5, "ro", ready("False", "ModeNotSynced"), modeSynced("False", reason)))))
                .containsEntry("status", "Degraded");
    }

    @Test
    void refusalRecordedForAnOlderGenerationIsProgressing() throws IOException {
        Map<String, String> hs = health(element(6, status(5, "ro",
                ready("False", "ModeNotSynced"), modeSynced("False", "CONFIRMATION_REQUIRED"))));
        assertThat(hs).containsEntry("status", "Progressing");
        assertThat(hs.get("message")).contains("generation 6");
    }

    @Test
    void podsStillStartingOrRollingOutAreProgressing() throws IOException {
        assertThat(health(element(2, status(2, "rw", ready("False", "PodsNotReady")))))
                .containsEntry("status", "Progressing");
        assertThat(health(element(2, status(2, "rw", ready("False", "RolloutInProgress"),
                modeSynced("True", "InSync"))))).containsEntry("status", "Progressing");
    }

    private static Map<String, String> health(Map<String, Object> resource) throws IOException {
        String script = Files.readString(Charts.chartDir("storage-element-operator").resolve("files/argocd-health.lua"));
        Globals globals = JsePlatform.standardGlobals();
        globals.set("obj", toLua(resource));
        LuaValue hs = globals.load(script, "argocd-health.lua").call();
        return Map.of("status", hs.get("status").tojstring(), "message", hs.get("message").tojstring());
    }

    private static Map<String, Object> element(long generation, Map<String, Object> status) {
        return Map.of("metadata", Map.of("name", "se-rw-01", "generation", generation), "status", status);
    }

    @SafeVarargs
    private static Map<String, Object> status(long observedGeneration, String mode, Map<String, Object>... conditions) {
        return Map.of("observedGeneration", observedGeneration, "mode", mode, "conditions", List.of(conditions));
    }

    private static Map<String, Object> ready(String status, String reason) {
        return Map.of("type", "Ready", "status", status, "reason", reason, "message", "m");
    }

    private static Map<String, Object> modeSynced(String status, String reason) {
        return Map.of("type", "ModeSynced", "status", status, "reason", reason, "message", "m");
    }

    /** JSON-shaped Java values to Lua values, as Argo CD converts the live object. */
    private static LuaValue toLua(Object value) {
        if (value instanceof Map<?, ?> map) {
            LuaTable table = new LuaTable();
            map.forEach((k, v) -> table.set(k.toString(), toLua(v)));
            return table;
        }
        if (value instanceof List<?> list) {
            LuaTable table = new LuaTable();
            for (int i = 0; i < list.size(); i++) {
                table.set(i + 1, toLua(list.get(i)));
            }
            return table;
        }
        if (value instanceof Number n) {
            return LuaValue.valueOf(n.doubleValue());
        }
        return LuaValue.valueOf(value.toString());
    }
}
