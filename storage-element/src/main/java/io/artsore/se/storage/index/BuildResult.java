package io.artsore.se.storage.index;

import java.util.List;

/** A freshly built index, what could not be indexed (sorted by path), and how many attr files were read. */
public record BuildResult(FileIndex index, List<BuildFailure> failures, long filesScanned) {
    public BuildResult {
        failures = List.copyOf(failures);
    }
}
