package io.artsore.se.service;

import io.artsore.se.domain.FileMetadata;
import io.artsore.se.logging.Events;
import io.artsore.se.storage.attr.AtomicFiles;
import io.artsore.se.storage.attr.AttrCodec;
import io.artsore.se.storage.filestore.DataFileNames;
import io.artsore.se.storage.filestore.ShardLayout;
import io.artsore.se.storage.index.BuildFailure;
import io.artsore.se.storage.index.BuildProgress;
import io.artsore.se.storage.index.BuildResult;
import io.artsore.se.storage.index.CheckpointOutcome;
import io.artsore.se.storage.index.IndexBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The index as the data dir holds it: {@link #build} reads every {@code *.attr.json} below it (any layout) with
 * the parallel {@link IndexBuilder} and {@link AttrCodec}; {@link #findById} reads one file's attr.json from its
 * shard. Attr files that could not be indexed (unreadable, corrupt, duplicate file ids) are logged and returned,
 * never silently dropped.
 */
final class DataDirIndex {
    private static final Logger LOG = Logger.getLogger(DataDirIndex.class.getName());

    private DataDirIndex() {
    }

    /** A fresh index of every attr file below {@code dataDir}, built on one thread per available processor. */
    static BuildResult build(Path dataDir, Clock clock) throws IOException {
        return build(dataDir, null, new BuildProgress(), "recount", clock);
    }

    /**
     * The index of the attr files below {@code dataDir}, from {@code checkpoint} (null: none) where it is valid;
     * logs progress while it runs ({@code purpose} says why it is built), then what became of the checkpoint.
     */
    static BuildResult build(Path dataDir, IndexBuilder.Checkpoint checkpoint, BuildProgress progress, String purpose,
                             Clock clock) throws IOException {
        long started = System.nanoTime();
        BuildResult result;
        try (IndexProgressLog log = IndexProgressLog.start(purpose, progress, clock)) {
            result = new IndexBuilder(attrFile -> AttrCodec.read(attrFile, dataDir))
                    .build(dataDir, checkpoint, progress);
        }
        if (checkpoint != null) {
            CheckpointOutcome c = result.checkpoint();
            Events.log(LOG, c.status().equals("rejected") ? Level.WARNING : Level.INFO, "index_loaded",
                    "purpose", purpose, "checkpoint", c.status(), "reason", c.reason(), "dirs_unchanged", c.dirsTrusted(),
                    "dirs_reread", c.dirsRescanned(), "dirs_gone", c.dirsGone(),
                    "entries_from_checkpoint", c.entriesFromCheckpoint(), "sidecars_read", result.filesScanned(),
                    "indexed_files", result.index().size(),
                    "duration_ms", (System.nanoTime() - started) / 1_000_000);
        }
        for (BuildFailure f : result.failures()) {
            Events.log(LOG, Level.WARNING, "attr_not_indexed", "path", f.path().toString(), "kind", f.kind(),
                    "reason", f.message());
        }
        return result;
    }

    /**
     * The ids of the files whose sidecar exists but could not be read or parsed in {@code built}, taken from the
     * sidecar's name: such a file is not gone, so it must never answer 404.
     */
    static Set<UUID> unreadableIds(BuildResult built) {
        return built.failures().stream()
                .filter(f -> f.kind() == BuildFailure.Kind.UNREADABLE && f.path().getFileName() != null)
                .map(f -> f.path().getFileName().toString())
                .filter(name -> name.endsWith(AttrCodec.SUFFIX))
                .flatMap(name -> DataFileNames.fileIdOf(name).stream())
                .collect(Collectors.toUnmodifiableSet());
    }

    /**
     * The directories (relative to the data dir, "" for itself) a checkpoint must not vouch for: those that could
     * not be read or hold sidecars that could not be read in {@code built}, and its {@link BuildResult#untrustedDirs}.
     */
    static Set<String> dirsWithFailures(BuildResult built) {
        Set<String> dirs = new HashSet<>(built.untrustedDirs());
        for (BuildFailure f : built.failures()) {
            if (f.kind() == BuildFailure.Kind.UNREADABLE) {
                dirs.add(relative(f.path()));
                dirs.add(relative(f.path().getParent()));
            }
        }
        return Set.copyOf(dirs);
    }

    private static String relative(Path p) {
        return p == null ? "" : p.toString().replace('\\', '/');
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
}
