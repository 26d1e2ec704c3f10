package io.artsore.e2e.loadgen;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/** Files known to exist on the target, for download, range and metadata operations. */
final class FilePool {

    private final List<StoredFile> files = new ArrayList<>();

    synchronized void add(StoredFile file) {
        files.add(file);
    }

    synchronized int size() {
        return files.size();
    }

    synchronized StoredFile pick(RandomGenerator random) {
        if (files.isEmpty()) {
            throw new IllegalStateException("no files to read: upload some first (--prepare)");
        }
        return files.get(random.nextInt(files.size()));
    }
}
