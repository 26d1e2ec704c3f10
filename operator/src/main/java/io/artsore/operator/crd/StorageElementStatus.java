package io.artsore.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class StorageElementStatus {
    public Long observedGeneration;

    /** Pending, Progressing, Running or Degraded. */
    public String phase;

    /** Mode the element reports on /api/v1/info. */
    public String mode;

    /** Pod name of the current leader (replicated) or of the single pod (standalone). */
    public String leader;

    public Integer readyReplicas;

    public Capacity capacity;

    /** Claims holding the element's data (name and UID); a claim listed here is never recreated silently. */
    public List<ClaimRef> dataClaims;

    /**
     * Generation of the spec whose confirmRollback the operator used for a ro -> rw rollback. While set, that
     * confirmation is spent and allows no further rollback; cleared once the operator sees confirmRollback false.
     */
    public Long confirmRollbackUsedAtGeneration;

    public List<Condition> conditions = new ArrayList<>();
}
