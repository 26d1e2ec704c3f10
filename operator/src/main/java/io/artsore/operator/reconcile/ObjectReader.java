package io.artsore.operator.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Map;

/** Reads owned objects: from the informer caches in the running operator, live in tests without JOSDK. */
public interface ObjectReader {
    <T extends HasMetadata> T get(Class<T> type, String namespace, String name);

    /** Objects of the type in the namespace carrying all the given labels. */
    <T extends HasMetadata> List<T> list(Class<T> type, String namespace, Map<String, String> labels);
}
