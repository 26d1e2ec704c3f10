package io.artsore.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Capacity as reported by the element (docs/contract.md §2 CapacityInfo). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Capacity {
    public Long totalBytes;
    public Long usedBytes;
    public Long availableBytes;

    public Capacity() {
    }

    public Capacity(long totalBytes, long usedBytes, long availableBytes) {
        this.totalBytes = totalBytes;
        this.usedBytes = usedBytes;
        this.availableBytes = availableBytes;
    }
}
