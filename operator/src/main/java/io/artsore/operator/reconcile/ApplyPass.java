package io.artsore.operator.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;

/**
 * The applies of one reconcile. A refused object is recorded and the pass goes on, so independent objects still
 * converge: a refused claim resize does not hold back the image upgrade of the same spec change.
 */
final class ApplyPass {
    private final ResourceApplier applier;
    private final List<ApplyFailure> failures = new ArrayList<>();

    ApplyPass(ResourceApplier applier) {
        this.applier = applier;
    }

    /** @return the object as the API server stored it, or null when it refused it */
    <T extends HasMetadata> T apply(T desired) {
        try {
            return applier.apply(desired);
        } catch (KubernetesClientException e) {
            failures.add(ApplyFailure.of(desired, e));
            return null;
        }
    }

    /** @return the patched object, or null when the API server refused the patch */
    <T extends HasMetadata> T mergePatch(T object, String patch) {
        try {
            return applier.mergePatch(object, patch);
        } catch (KubernetesClientException e) {
            failures.add(ApplyFailure.of(object, e));
            return null;
        }
    }

    void delete(HasMetadata object) {
        try {
            applier.deleteIfPresent(object);
        } catch (KubernetesClientException e) {
            failures.add(ApplyFailure.of(object, e));
        }
    }

    List<ApplyFailure> failures() {
        return List.copyOf(failures);
    }
}
