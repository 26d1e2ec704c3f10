package io.artsore.se.service;

/** CapacityInfo of docs/contract.md §2: configured limit, bytes of files that occupy space, and what is left. */
public record Capacity(long totalBytes, long usedBytes, long availableBytes) {
    static Capacity of(long total, long used) {
        return new Capacity(total, used, Math.max(0, total - used));
    }
}
