package io.artsore.se.service.reconcile;

/** Counts of a run; {@code ok} is the number of checked files without any issue. */
public record ReconcileSummary(long ok, long orphanedFiles, long missingFiles, long checksumMismatches,
                               long sizeMismatches) {
}
