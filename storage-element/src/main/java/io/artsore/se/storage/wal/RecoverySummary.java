package io.artsore.se.storage.wal;

/**
 * What startup recovery did: pending transactions rolled back (creates/updates/deletes), purges finished,
 * settled records and stray temp files removed, complete uploads kept (replicated mode).
 */
public record RecoverySummary(int rolledBack, int purgesCompleted, int settledRecordsRemoved, int tempFilesRemoved,
                              int uploadsKept) {
    public int pendingRecovered() {
        return rolledBack + purgesCompleted + uploadsKept;
    }
}
