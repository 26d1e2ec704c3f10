package io.artsore.se.storage.filestore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Real free space of the volume holding a path. An interface so tests can simulate a full disk. */
@FunctionalInterface
public interface DiskSpace {
    long usableBytes(Path path) throws IOException;

    static DiskSpace real() {
        return path -> Files.getFileStore(path).getUsableSpace();
    }
}
