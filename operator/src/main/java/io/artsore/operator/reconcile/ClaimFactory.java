package io.artsore.operator.reconcile;

import io.artsore.operator.crd.ReplicaMode;
import io.artsore.operator.crd.StorageElement;
import io.artsore.operator.crd.StorageSpec;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;

/** Data and WAL PersistentVolumeClaims. Replicated elements share one RWX data claim. */
public final class ClaimFactory {
    private ClaimFactory() {
    }

    public static PersistentVolumeClaim data(StorageElement element) {
        StorageSpec storage = element.getSpec().storage;
        return claim(Ownership.claim(element, ElementNames.of(element).dataClaim()), storage.storageClassName,
                dataAccessModes(element), storage.dataSize);
    }

    /** Standalone WAL claim; replicated pods get theirs from the StatefulSet's volumeClaimTemplates. */
    public static PersistentVolumeClaim wal(StorageElement element) {
        StorageSpec storage = element.getSpec().storage;
        return claim(Ownership.claim(element, ElementNames.of(element).walClaim()), storage.storageClassName,
                List.of("ReadWriteOnce"), storage.walSize);
    }

    /** The per-pod WAL claim template (its metadata carries only name and labels, as templates must). */
    public static PersistentVolumeClaim walTemplate(StorageElement element) {
        StorageSpec storage = element.getSpec().storage;
        ObjectMeta meta = new ObjectMeta();
        meta.setName(ElementNames.WAL_TEMPLATE);
        meta.setLabels(ElementLabels.selector(element));
        return claim(meta, storage.storageClassName, List.of("ReadWriteOnce"), storage.walSize);
    }

    static List<String> dataAccessModes(StorageElement element) {
        StorageSpec storage = element.getSpec().storage;
        if (storage.dataAccessModes != null && !storage.dataAccessModes.isEmpty()) {
            return storage.dataAccessModes;
        }
        return element.getSpec().replicaMode == ReplicaMode.REPLICATED
                ? List.of("ReadWriteMany") : List.of("ReadWriteOnce");
    }

    private static PersistentVolumeClaim claim(ObjectMeta meta, String storageClass, List<String> accessModes,
                                               String size) {
        return new PersistentVolumeClaimBuilder()
                .withMetadata(meta)
                .withNewSpec()
                    .withStorageClassName(storageClass)
                    .withAccessModes(accessModes)
                    .withVolumeMode("Filesystem")
                    .withNewResources().addToRequests("storage", new Quantity(size)).endResources()
                .endSpec()
                .build();
    }
}
