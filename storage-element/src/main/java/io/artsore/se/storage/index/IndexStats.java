package io.artsore.se.storage.index;

/** Exact counters of the index; {@code usedBytes} sums the sizes of every indexed file (all statuses). */
public record IndexStats(long active, long expired, long deleted, long usedBytes) {
    public long total() {
        return active + expired + deleted;
    }
}
