package io.artsore.operator.crd;

import com.fasterxml.jackson.annotation.JsonProperty;

public enum ReplicaMode {
    @JsonProperty("standalone") STANDALONE,
    @JsonProperty("replicated") REPLICATED;

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
