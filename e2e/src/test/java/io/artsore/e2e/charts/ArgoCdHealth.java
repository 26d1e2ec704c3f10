package io.artsore.e2e.charts;

import org.assertj.core.api.AbstractStringAssert;
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
 * Runs the operator chart's Argo CD health check (files/argocd-health.lua) the way Argo CD does: the resource as
 * the global {@code obj}, the script returning {@code {status, message}}. Shared by the health-check tests so that
 * they all run the script, and build the StorageElement they feed it, in one and the same way.
 */
final class ArgoCdHealth {
    private ArgoCdHealth() {
    }

    static Map<String, String> health(Map<String, Object> resource) throws IOException {
        String script = Files.readString(Charts.chartDir("storage-element-operator").resolve("files/argocd-health.lua"));
        Globals globals = JsePlatform.standardGlobals();
        globals.set("obj", toLua(resource));
        LuaValue hs = globals.load(script, "argocd-health.lua").call();
        return Map.of("status", hs.get("status").tojstring(), "message", hs.get("message").tojstring());
    }

    /**
     * Asserts the status the script gives {@code resource} and hands back an assertion on its message, so that
     * each test states the status and what the message must say in one statement.
     */
    static AbstractStringAssert<?> assertHealth(Map<String, Object> resource, String status) throws IOException {
        Map<String, String> hs = health(resource);
        assertThat(hs).containsEntry("status", status);
        return assertThat(hs.get("message"));
    }

    /** A StorageElement named se-rw-01 at {@code generation}; {@code status} null for one not yet reconciled. */
    static Map<String, Object> element(long generation, Map<String, Object> status) {
        Map<String, Object> metadata = Map.of("name", "se-rw-01", "generation", generation);
        return status == null ? Map.of("metadata", metadata) : Map.of("metadata", metadata, "status", status);
    }

    @SafeVarargs
    static Map<String, Object> status(long observedGeneration, String mode, Map<String, Object>... conditions) {
        return Map.of("observedGeneration", observedGeneration, "mode", mode, "conditions", List.of(conditions));
    }

    static Map<String, Object> ready(String status, String reason) {
        return Map.of("type", "Ready", "status", status, "reason", reason, "message", "m");
    }

    static Map<String, Object> modeSynced(String status, String reason) {
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
