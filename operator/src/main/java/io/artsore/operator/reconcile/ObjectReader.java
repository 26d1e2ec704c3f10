package io.artsore.operator.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** Reads owned objects: from the informer caches in the running operator, live in tests without JOSDK. */
public interface ObjectReader {
    <T extends HasMetadata> T get(Class<T> type, String namespace, String name);
}
