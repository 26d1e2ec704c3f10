package io.artsore.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A PersistentVolumeClaim an element has used, remembered so that a lost claim is noticed, not recreated. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ClaimRef {
    public String name;
    public String uid;

    public ClaimRef() {
    }

    public ClaimRef(String name, String uid) {
        this.name = name;
        this.uid = uid;
    }
}
