package io.artsore.se.storage.index;

import java.util.List;

/**
 * A freshly built index, what could not be indexed (sorted by path), how many attr files were read and what
 * became of the index checkpoint.
 */
public record BuildResult(FileIndex index, List<BuildFailure> failures, long filesScanned, CheckpointOutcome checkpoint) {
    public BuildResult {
        failures = List.copyOf(failures);
    }
}
