package io.artsore.operator.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/**
 * Converges derived objects with server-side apply under the operator's field manager, forcing conflicts:
 * every field the desired object sets is (re)taken by the operator, so a hand edit of an owned field (replicas,
 * image) is undone on the next reconcile; a field the operator applied before and no longer sets (a removed
 * nodeSelector, an owner reference after retainOnDelete became true) is removed by the API server; fields set
 * by other actors (server defaults, the rollout-restart annotation) are left alone. An apply that changes
 * nothing is a no-op on the server (no new resourceVersion, no watch event), so applying on every pass is safe.
 */
public final class ResourceApplier {
    public static final String FIELD_MANAGER = "artsore-se-operator";

    private final KubernetesClient client;

    public ResourceApplier(KubernetesClient client) {
        this.client = client;
    }

    public <T extends HasMetadata> T apply(T desired) {
        return client.resource(desired).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
    }

    /**
     * A JSON merge patch (RFC 7386: a null removes the field). Only for what server-side apply cannot do: remove a
     * field the operator never applied, such as an API server default that became invalid.
     */
    public <T extends HasMetadata> T mergePatch(T object, String patch) {
        return client.resource(object).patch(PatchContext.of(PatchType.JSON_MERGE), patch);
    }

    /** Deletes an object this operator created earlier, if it is still there. */
    public void deleteIfPresent(HasMetadata object) {
        client.resource(object).delete();
    }
}
