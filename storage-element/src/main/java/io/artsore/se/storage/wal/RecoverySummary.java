package io.artsore.se.storage.wal;

/**
 * What startup recovery did: pending transactions rolled back (creates/updates/deletes), purges finished,
 * settled records and stray temp files removed, complete writes kept (replicated mode), and interrupted
 * updates/deletes left as they are because another writer replaced the file's attr.json since, and unreadable
 * records moved to the {@link WalQuarantine}.
 */
public record RecoverySummary(int rolledBack, int purgesCompleted, int settledRecordsRemoved, int tempFilesRemoved,
                              int writesKept, int superseded, int quarantined) {
}
