package io.artsore.operator.reconcile;

import io.artsore.operator.crd.ElementMode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;

/**
 * SE_MODE of the pod template: taken from the existing workload when there is one, so that changing
 * {@code spec.mode} never changes the template (and never restarts pods); the spec's mode for a new one.
 */
public final class InitialMode {
    private InitialMode() {
    }

    public static ElementMode resolve(PodTemplateSpec existingTemplate, ElementMode specMode) {
        if (existingTemplate == null || existingTemplate.getSpec() == null) {
            return specMode;
        }
        return existingTemplate.getSpec().getContainers().stream()
                .filter(c -> PodTemplateFactory.CONTAINER.equals(c.getName()))
                .map(Container::getEnv)
                .filter(env -> env != null)
                .flatMap(java.util.List::stream)
                .filter(e -> "SE_MODE".equals(e.getName()) && e.getValue() != null)
                .map(EnvVar::getValue)
                .map(ElementMode::fromWire)
                .findFirst()
                .orElse(specMode);
    }
}
