package io.artsore.se.storage.index;

import java.util.List;
import java.util.Set;

/**
 * A freshly built index, what could not be indexed (sorted by path), how many attr files were read, what became
 * of the index checkpoint, and the directories (data-dir-relative, "" for itself) a checkpoint of this index must
 * not vouch for: those holding a sidecar that claims another directory or a copy of a file id claimed twice.
 */
public record BuildResult(FileIndex index, List<BuildFailure> failures, long filesScanned, CheckpointOutcome checkpoint,
                          Set<String> untrustedDirs) {
    public BuildResult {
        failures = List.copyOf(failures);
        untrustedDirs = Set.copyOf(untrustedDirs);
    }
}
