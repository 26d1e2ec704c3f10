package io.artsore.e2e.charts;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The objects one {@code helm template} produced, with lookups by type, kind and name. */
record Rendered(List<HasMetadata> objects) {

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> T one(Class<T> type, String name) {
        return find(type, name).orElseThrow(() -> new AssertionError(
                "no " + type.getSimpleName() + " named " + name + " in " + names()));
    }

    <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
        return all(type).stream().filter(o -> name.equals(o.getMetadata().getName())).findFirst();
    }

    /**
     * Objects of a kind as generic resources, for kinds without a model class here (cert-manager,
     * Prometheus operator) and for path-style access to kinds that have one (Gateway API).
     */
    List<GenericKubernetesResource> custom(String kind) {
        return objects.stream().filter(o -> kind.equals(o.getKind()))
                .map(o -> o instanceof GenericKubernetesResource g ? g
                        : Serialization.unmarshal(Serialization.asYaml(o), GenericKubernetesResource.class))
                .toList();
    }

    List<String> names() {
        return objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList();
    }

    /**
     * A container's environment as name -> value (downward-API variables map to "fieldRef:<path>").
     * A variable set twice is an error: Kubernetes silently keeps the last one.
     */
    static Map<String, String> env(Container container) {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvVar var : container.getEnv()) {
            if (env.put(var.getName(), valueOf(var)) != null) {
                throw new AssertionError("env var " + var.getName() + " is set twice in " + container.getName());
            }
        }
        return env;
    }

    private static String valueOf(EnvVar env) {
        if (env.getValueFrom() != null && env.getValueFrom().getFieldRef() != null) {
            return "fieldRef:" + env.getValueFrom().getFieldRef().getFieldPath();
        }
        return env.getValue();
    }
}
