package io.artsore.operator.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;

/**
 * Creates or updates derived objects; updates are recorded under the operator's field manager. Each object carries a hash of what
 * the operator last wrote; an unchanged desired object costs one GET and no write, and a changed one is sent
 * as a JSON merge patch (lists replaced whole, maps merged), which real API servers and the test mock both
 * implement. Server-side apply would also correct manual drift; the mock server cannot run it.
 */
public final class ResourceApplier {
    public static final String FIELD_MANAGER = "artsore-se-operator";
    public static final String HASH_ANNOTATION = "artsore.io/applied-hash";

    private final KubernetesClient client;

    public ResourceApplier(KubernetesClient client) {
        this.client = client;
    }

    public <T extends HasMetadata> T apply(T desired) {
        String hash = hash(desired);
        if (desired.getMetadata().getAnnotations() == null) {
            desired.getMetadata().setAnnotations(new HashMap<>());
        }
        desired.getMetadata().getAnnotations().put(HASH_ANNOTATION, hash);
        T existing = client.resource(desired).get();
        if (existing == null) {
            return client.resource(desired).create();
        }
        if (existing.getMetadata().getAnnotations() != null
                && hash.equals(existing.getMetadata().getAnnotations().get(HASH_ANNOTATION))) {
            return existing;
        }
        PatchContext mergePatch = new PatchContext.Builder()
                .withPatchType(PatchType.JSON_MERGE).withFieldManager(FIELD_MANAGER).build();
        return client.resource(existing).patch(mergePatch, withoutImmutableFields(desired));
    }

    /** Deletes an object this operator created earlier, if it is still there. */
    public void deleteIfPresent(HasMetadata object) {
        client.resource(object).delete();
    }

    /** A StatefulSet's selector, serviceName and claim templates cannot be changed after creation. */
    @SuppressWarnings("unchecked")
    private static <T extends HasMetadata> T withoutImmutableFields(T desired) {
        if (desired instanceof StatefulSet statefulSet) {
            StatefulSet copy = Serialization.clone(statefulSet);
            copy.getSpec().setSelector(null);
            copy.getSpec().setServiceName(null);
            copy.getSpec().setVolumeClaimTemplates(null);
            copy.getSpec().setPodManagementPolicy(null);
            return (T) copy;
        }
        return desired;
    }

    static String hash(HasMetadata desired) {
        try {
            byte[] json = Serialization.asJson(desired).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
