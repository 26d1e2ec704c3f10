package io.artsore.se.service;

import io.artsore.se.domain.Mode;
import io.artsore.se.storage.index.BuildFailure;
import io.artsore.se.storage.index.CheckpointOutcome;
import io.artsore.se.storage.wal.RecoverySummary;
import java.util.List;

/**
 * What {@link StorageEngine#open} found: WAL recovery results, the number of indexed files, the attr files that
 * could not be indexed or whose file_id was claimed twice (relative path, kind, reason; for logs and
 * reconciliation), the mode in force (from mode.json or SE_MODE) and what became of the index checkpoint.
 */
public record StartupReport(RecoverySummary recovery, int indexedFiles, List<BuildFailure> attrFailures,
                            Mode mode, boolean modeFromFile, CheckpointOutcome indexCheckpoint) {
    public StartupReport {
        attrFailures = List.copyOf(attrFailures);
    }
}
