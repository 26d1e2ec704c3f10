package io.artsore.se.storage.filestore;

import java.nio.file.Path;
import java.util.UUID;

/**
 * Where files live below the data dir: {@code {data}/{first two hex digits of file_id}/...}, 256 shards so no
 * directory grows huge. Storage paths (in attr.json) are relative to the data dir and '/'-separated.
 */
public record ShardLayout(Path dataDir) {
    public ShardLayout {
        dataDir = dataDir.toAbsolutePath().normalize();
    }

    public String shardName(UUID fileId) {
        return fileId.toString().substring(0, 2);
    }

    public Path shardDir(UUID fileId) {
        return dataDir.resolve(shardName(fileId));
    }

    /** The storage path (relative, '/'-separated) of a data file named {@code dataFileName}. */
    public String storagePath(UUID fileId, String dataFileName) {
        return shardName(fileId) + "/" + dataFileName;
    }

    /** Absolute path of a storage path; rejects anything that would leave the data dir. */
    public Path resolve(String storagePath) {
        Path p = dataDir.resolve(storagePath).normalize();
        if (!p.startsWith(dataDir) || p.equals(dataDir)) {
            throw new IllegalArgumentException("storage path leaves the data dir");
        }
        return p;
    }

    /** The sidecar attr.json of the data file at {@code storagePath}. */
    public Path sidecar(String storagePath) {
        Path data = resolve(storagePath);
        return data.resolveSibling(DataFileNames.sidecarOf(data.getFileName().toString()));
    }
}
