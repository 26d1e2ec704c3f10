package io.artsore.e2e.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import io.artsore.se.storage.index.IndexCheckpoint;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What is really on disk, read without the element: every {@code attr.json} (the source of truth), the data
 * files they name, and everything else ("leftovers": temp files, orphans). The WAL dirs are listed separately
 * (without the element's index checkpoint).
 *
 * <p>The element's own bookkeeping is not a leftover: {@code mode.json}, and in replicated mode the leader
 * lock, {@code .leader.info} (with the temp file a live leader writes it through on every heartbeat) and the
 * change journal segments in {@code .changes/}; the list tombstones of purged files in {@code .tombstones/} are
 * read into {@link #tombstones} (file id → last attr.json), since the listing shows them.
 */
record DiskState(Map<String, JsonNode> attrs, Map<String, JsonNode> tombstones, List<Path> leftovers,
                 List<Path> walFiles) {
    private static final Set<String> INTERNAL = Set.of("mode.json", ".leader.lock", ".leader.info");
    private static final Set<String> INTERNAL_DIRS = Set.of(".changes", ".tombstones");
    private static final String TOMBSTONE_DIR = ".tombstones";

    static DiskState scan(Path dataDir, Path... walDirs) throws IOException {
        Map<String, JsonNode> attrs = new LinkedHashMap<>();
        Set<Path> referenced = new HashSet<>();
        List<Path> files = filesBelow(dataDir);
        for (Path f : files) {
            if (f.getFileName().toString().endsWith(".attr.json")) {
                JsonNode attr = readAttr(f);
                if (attr == null || !attr.hasNonNull("file_id") || !attr.hasNonNull("storage_path")) {
                    continue; // unreadable (e.g. emptied by a power cut): stays a leftover, so a failure
                }
                attrs.put(attr.get("file_id").asText(), attr);
                referenced.add(f);
                referenced.add(dataDir.resolve(attr.get("storage_path").asText()).normalize());
            }
        }
        Map<String, JsonNode> tombstones = new LinkedHashMap<>();
        for (Path f : files) {
            Path relative = dataDir.relativize(f);
            if (relative.getNameCount() == 2 && relative.getName(0).toString().equals(TOMBSTONE_DIR)
                    && !relative.getFileName().toString().startsWith(".")) {
                JsonNode last = SeClient.JSON.readTree(f.toFile());
                tombstones.put(last.get("file_id").asText(), last);
            }
        }
        List<Path> leftovers = new ArrayList<>();
        for (Path f : files) {
            if (!referenced.contains(f.normalize()) && !isInternal(dataDir.relativize(f))) {
                leftovers.add(dataDir.relativize(f));
            }
        }
        List<Path> wal = new ArrayList<>();
        for (Path walDir : walDirs) {
            try (Stream<Path> list = Files.list(walDir)) {
                // the index checkpoint is a cache of the data dir kept next to the WAL, not a WAL record
                wal.addAll(list.filter(p -> !p.getFileName().toString().equals(IndexCheckpoint.FILE_NAME)).toList());
            }
        }
        return new DiskState(attrs, tombstones, leftovers, wal);
    }

    private static JsonNode readAttr(Path f) {
        try {
            return SeClient.JSON.readTree(f.toFile());
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean isInternal(Path relative) {
        String name = relative.getFileName().toString();
        return INTERNAL.contains(name)
                || relative.getNameCount() == 1 && name.startsWith(".atomic-leader-info") && name.endsWith(".tmp")
                || relative.getNameCount() == 2 && INTERNAL_DIRS.contains(relative.getName(0).toString());
    }

    /**
     * What the unfiltered listing must show: every file's status, and {@code deleted} for each purged file whose
     * tombstone is on disk (a tombstone of an id that has a sidecar again does not count).
     */
    Map<String, String> listedStatuses() {
        Map<String, String> statuses = new LinkedHashMap<>();
        tombstones.keySet().forEach(id -> statuses.put(id, "deleted"));
        attrs.forEach((id, attr) -> statuses.put(id, attr.get("status").asText()));
        return statuses;
    }

    /** Regular files below {@code dir}; one that vanishes while walking (a live leader's temp file) is skipped. */
    private static List<Path> filesBelow(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile()) {
                    files.add(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE;
            }
        });
        return files;
    }
}
