package io.artsore.operator.reconcile;

import io.artsore.operator.crd.StorageElement;
import io.artsore.operator.status.ConditionReport;
import io.artsore.operator.status.ConditionTypes;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * {@code storage.walSize} for a replicated element. A StatefulSet's {@code volumeClaimTemplates} cannot change, so
 * each pod's WAL claim ({@code wal-<name>-<ordinal>}, created by the StatefulSet controller at the size the set was
 * created with) is grown here, one apply of its storage request each; a claim is never shrunk (the CRD refuses a
 * smaller walSize, and a claim someone grew by hand stays as it is). The storage class then expands the volume; the
 * WalResized condition counts the claims whose reported capacity has reached walSize.
 */
final class WalClaimResize {
    private WalClaimResize() {
    }

    /** @param claims the element's claims, read live */
    static ConditionReport apply(StorageElement element, List<PersistentVolumeClaim> claims, ApplyPass pass) {
        String size = element.getSpec().storage.walSize;
        BigDecimal wanted = Quantity.getAmountInBytes(new Quantity(size));
        String prefix = ElementNames.WAL_TEMPLATE + "-" + element.getMetadata().getName() + "-";
        List<PersistentVolumeClaim> wal = claims.stream().filter(c -> c.getMetadata().getName().startsWith(prefix))
                .sorted(Comparator.comparing(c -> c.getMetadata().getName())).toList();
        List<String> expanding = new ArrayList<>();
        for (PersistentVolumeClaim claim : wal) {
            if (bytes(claim.getSpec().getResources().getRequests()).compareTo(wanted) < 0) {
                pass.apply(grow(claim, size));
            }
            if (claim.getStatus() == null || bytes(claim.getStatus().getCapacity()).compareTo(wanted) < 0) {
                expanding.add(claim.getMetadata().getName());
            }
        }
        String progress = (wal.size() - expanding.size()) + "/" + wal.size() + " WAL claims at " + size;
        if (expanding.isEmpty()) {
            return new ConditionReport(ConditionTypes.WAL_RESIZED, "True", "Resized", progress);
        }
        return new ConditionReport(ConditionTypes.WAL_RESIZED, "False", "Expanding",
                progress + "; waiting for the storage class to expand " + String.join(", ", expanding));
    }

    /** Only the storage request: the rest of the claim belongs to the StatefulSet controller. */
    private static PersistentVolumeClaim grow(PersistentVolumeClaim claim, String size) {
        return new PersistentVolumeClaimBuilder()
                .withNewMetadata().withName(claim.getMetadata().getName())
                    .withNamespace(claim.getMetadata().getNamespace()).endMetadata()
                .withNewSpec().withNewResources().addToRequests("storage", new Quantity(size)).endResources().endSpec()
                .build();
    }

    private static BigDecimal bytes(Map<String, Quantity> resources) {
        Quantity storage = resources == null ? null : resources.get("storage");
        return storage == null ? BigDecimal.ZERO : Quantity.getAmountInBytes(storage);
    }
}
