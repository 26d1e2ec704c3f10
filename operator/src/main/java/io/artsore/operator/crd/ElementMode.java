package io.artsore.operator.crd;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Desired SE mode (docs/contract.md §4). Wire names are lowercase. */
public enum ElementMode {
    @JsonProperty("edit") EDIT,
    @JsonProperty("rw") RW,
    @JsonProperty("ro") RO,
    @JsonProperty("ar") AR;

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static ElementMode fromWire(String value) {
        return valueOf(value.toUpperCase(java.util.Locale.ROOT));
    }
}
