package io.artsore.operator.reconcile;

import io.artsore.operator.crd.StorageElement;
import java.util.LinkedHashMap;
import java.util.Map;

/** Recommended Kubernetes labels; the selector is the stable subset that never changes for an element. */
public final class ElementLabels {
    public static final String MANAGED_BY = "artsore-se-operator";
    public static final String STORAGE_ID = "artsore.io/storage-id";

    private ElementLabels() {
    }

    public static Map<String, String> selector(StorageElement element) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("app.kubernetes.io/name", "storage-element");
        labels.put("app.kubernetes.io/instance", element.getMetadata().getName());
        return labels;
    }

    public static Map<String, String> all(StorageElement element) {
        Map<String, String> labels = selector(element);
        labels.put("app.kubernetes.io/component", "storage-element");
        labels.put("app.kubernetes.io/managed-by", MANAGED_BY);
        labels.put(STORAGE_ID, element.getSpec().storageId);
        return labels;
    }
}
