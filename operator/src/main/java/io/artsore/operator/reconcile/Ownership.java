package io.artsore.operator.reconcile;

import io.artsore.operator.crd.StorageElement;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;

/** Metadata of derived objects: name, namespace, labels and (optionally) the controller owner reference. */
public final class Ownership {
    private Ownership() {
    }

    public static OwnerReference controllerReference(StorageElement element) {
        return new OwnerReferenceBuilder()
                .withApiVersion(element.getApiVersion())
                .withKind(element.getKind())
                .withName(element.getMetadata().getName())
                .withUid(element.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build();
    }

    /** Metadata owned by the element, so Kubernetes garbage-collects the object with it. */
    public static ObjectMeta owned(StorageElement element, String name) {
        return new ObjectMetaBuilder(unowned(element, name))
                .withOwnerReferences(controllerReference(element))
                .build();
    }

    /** Metadata without an owner reference: the object outlives the element. */
    public static ObjectMeta unowned(StorageElement element, String name) {
        return new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(element.getMetadata().getNamespace())
                .withLabels(ElementLabels.all(element))
                .build();
    }

    /** Claims are owned only when the user asked not to retain them. */
    public static ObjectMeta claim(StorageElement element, String name) {
        return Boolean.FALSE.equals(element.getSpec().storage.retainOnDelete)
                ? owned(element, name) : unowned(element, name);
    }
}
