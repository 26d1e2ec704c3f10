package io.artsore.se.service;

import io.artsore.se.domain.FileMetadata;
import io.artsore.se.storage.attr.AtomicFiles;
import io.artsore.se.storage.attr.AttrCodec;
import io.artsore.se.storage.attr.CorruptAttrException;
import io.artsore.se.storage.filestore.ShardLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Reads every {@code *.attr.json} below the data dir, any layout (sharded or flat). Corrupt sidecars are
 * collected and logged, never silently dropped. Stand-in until the index module's IndexBuilder takes over.
 */
final class DataDirScanner {
    private static final System.Logger LOG = System.getLogger(DataDirScanner.class.getName());

    private DataDirScanner() {
    }

    record Result(List<FileMetadata> files, List<CorruptAttrException> corrupt) {
    }

    static Result scan(Path dataDir) throws IOException {
        List<FileMetadata> files = new ArrayList<>();
        List<CorruptAttrException> corrupt = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dataDir)) {
            walk.filter(DataDirScanner::isSidecar).forEach(p -> {
                try {
                    files.add(AttrCodec.read(p, dataDir));
                } catch (CorruptAttrException e) {
                    LOG.log(Level.WARNING, e.getMessage());
                    corrupt.add(e);
                } catch (NoSuchFileException e) {
                    // removed while scanning (purge): nothing to index
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return new Result(files, corrupt);
    }

    /**
     * The attr.json of {@code id} in its shard directory (data file names end with {@code _<file_id>[.ext]}), read
     * fresh from disk; empty when there is none. Only the shard is listed: a lookup costs one small directory read.
     */
    static Optional<FileMetadata> findById(ShardLayout layout, UUID id) throws IOException {
        Path shard = layout.shardDir(id);
        String marker = "_" + id;
        List<Path> candidates;
        try (Stream<Path> list = Files.list(shard)) {
            candidates = list.filter(p -> isSidecarOf(p.getFileName().toString(), marker)).toList();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        for (Path p : candidates) {
            try {
                FileMetadata m = AttrCodec.read(p, layout.dataDir());
                if (m.fileId().equals(id)) {
                    return Optional.of(m);
                }
            } catch (NoSuchFileException e) {
                // purged between listing and reading
            }
        }
        return Optional.empty();
    }

    private static boolean isSidecarOf(String name, String marker) {
        if (!name.endsWith(AttrCodec.SUFFIX) || AtomicFiles.isTempName(name)) {
            return false;
        }
        String data = name.substring(0, name.length() - AttrCodec.SUFFIX.length());
        int at = data.lastIndexOf(marker);
        return at >= 0 && (at + marker.length() == data.length() || data.charAt(at + marker.length()) == '.');
    }

    private static boolean isSidecar(Path p) {
        String name = p.getFileName().toString();
        return name.endsWith(AttrCodec.SUFFIX) && !AtomicFiles.isTempName(name) && Files.isRegularFile(p);
    }
}
