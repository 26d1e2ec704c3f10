package io.artsore.operator.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.zjsonpatch.JsonDiff;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;

/**
 * Creates or updates derived objects. Each object carries a hash of what the operator last wrote; an unchanged
 * desired object costs one GET and no write. A changed one is merged onto the live object with RFC 7386
 * semantics (maps merged, lists replaced, server-populated fields such as a Service's clusterIP kept) and the
 * difference is sent as an RFC 6902 JSON patch under the operator's field manager: both real API servers and
 * the test mock implement JSON patch exactly, which is not true of server-side apply or merge patch in the mock.
 * Manual drift of fields the operator sets is corrected the next time the spec changes.
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
        JsonNode live = Serialization.jsonMapper().valueToTree(existing);
        JsonNode merged = mergePatch(live, Serialization.jsonMapper().valueToTree(withoutImmutableFields(desired)));
        PatchContext jsonPatch = new PatchContext.Builder()
                .withPatchType(PatchType.JSON).withFieldManager(FIELD_MANAGER).build();
        return client.resource(existing).patch(jsonPatch, JsonDiff.asJson(live, merged).toString());
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

    /** RFC 7386: objects merge recursively, null removes, anything else (lists included) replaces. */
    static JsonNode mergePatch(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch;
        }
        ObjectNode result = target != null && target.isObject()
                ? ((ObjectNode) target).deepCopy() : JsonNodeFactory.instance.objectNode();
        patch.properties().forEach(field -> {
            if (field.getValue().isNull()) {
                result.remove(field.getKey());
            } else {
                result.set(field.getKey(), mergePatch(result.get(field.getKey()), field.getValue()));
            }
        });
        return result;
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
