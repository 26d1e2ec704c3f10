package io.artsore.se.service;

import io.artsore.se.domain.Mode;
import io.artsore.se.storage.attr.CorruptAttrException;
import io.artsore.se.storage.wal.RecoverySummary;
import java.util.List;

/**
 * What {@link StorageEngine#open} found: WAL recovery results, the number of indexed files, sidecars that
 * could not be read (for logs and reconciliation), and the mode in force (from mode.json or SE_MODE).
 */
public record StartupReport(RecoverySummary recovery, int indexedFiles, List<CorruptAttrException> corruptAttrs,
                            Mode mode, boolean modeFromFile) {
    public StartupReport {
        corruptAttrs = List.copyOf(corruptAttrs);
    }
}
