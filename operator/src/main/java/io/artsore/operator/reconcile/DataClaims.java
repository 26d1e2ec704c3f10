package io.artsore.operator.reconcile;

import io.artsore.operator.crd.ClaimRef;
import io.artsore.operator.crd.StorageElement;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Applies the claims that hold an element's data, and never recreates one silently: a claim recorded in
 * status.dataClaims that no longer exists would come back empty, the element would start on an empty data
 * directory and the Admin Module would mark all its files deleted. Such a claim is reported missing instead,
 * until the user restores it or asks for an empty one with {@value #RECREATE_ANNOTATION}: "&lt;old uid&gt;".
 */
final class DataClaims {
    static final String RECREATE_ANNOTATION = "artsore.io/recreate-data-volume";

    /** @param claims what to record in status; @param missing human-readable descriptions of lost claims */
    record Outcome(List<ClaimRef> claims, List<String> missing) {
    }

    private DataClaims() {
    }

    static Outcome apply(StorageElement element, List<PersistentVolumeClaim> desired, ObjectReader reader,
                         ApplyPass pass) {
        List<ClaimRef> recorded = element.getStatus() == null || element.getStatus().dataClaims == null
                ? List.of() : element.getStatus().dataClaims;
        List<ClaimRef> claims = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (PersistentVolumeClaim claim : desired) {
            String name = claim.getMetadata().getName();
            ClaimRef known = recorded.stream().filter(r -> name.equals(r.name)).findFirst().orElse(null);
            PersistentVolumeClaim live = reader.get(PersistentVolumeClaim.class, claim.getMetadata().getNamespace(), name);
            if (live == null && known != null && !recreateApproved(element, known)) {
                claims.add(known);
                missing.add("PersistentVolumeClaim " + name + " (uid " + known.uid + ") is gone; it is not recreated"
                        + " empty. Restore it, or annotate the StorageElement " + RECREATE_ANNOTATION + "=" + known.uid
                        + " to start on an empty volume");
                continue;
            }
            PersistentVolumeClaim applied = pass.apply(claim);
            PersistentVolumeClaim current = applied != null ? applied : live;
            if (current != null) {
                claims.add(new ClaimRef(name, current.getMetadata().getUid()));
            } else if (known != null) {
                claims.add(known);
            }
        }
        return new Outcome(claims, missing);
    }

    private static boolean recreateApproved(StorageElement element, ClaimRef known) {
        Map<String, String> annotations = element.getMetadata().getAnnotations();
        return annotations != null && Objects.equals(annotations.get(RECREATE_ANNOTATION), known.uid);
    }
}
