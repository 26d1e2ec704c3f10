package io.artsore.operator.mode;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The parts of StorageInfo (docs/contract.md §2) the operator uses. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ElementInfo(
        @JsonProperty("storage_id") String storageId,
        @JsonProperty("mode") String mode,
        @JsonProperty("status") String status,
        @JsonProperty("replica_mode") String replicaMode,
        @JsonProperty("role") String role,
        @JsonProperty("capacity") CapacityInfo capacity) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record CapacityInfo(
            @JsonProperty("total_bytes") long totalBytes,
            @JsonProperty("used_bytes") long usedBytes,
            @JsonProperty("available_bytes") long availableBytes) {
    }
}
