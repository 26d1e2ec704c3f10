package io.artsore.e2e.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What is really on disk, read without the element: every {@code attr.json} (the source of truth), the data
 * files they name, and everything else ("leftovers": temp files, orphans). The WAL dir is listed separately.
 */
record DiskState(Map<String, JsonNode> attrs, List<Path> leftovers, List<Path> walFiles) {
    private static final Set<String> INTERNAL = Set.of("mode.json", ".leader.lock", ".leader.info");

    static DiskState scan(Path dataDir, Path walDir) throws IOException {
        Map<String, JsonNode> attrs = new LinkedHashMap<>();
        Set<Path> referenced = new HashSet<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dataDir)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        for (Path f : files) {
            if (f.getFileName().toString().endsWith(".attr.json")) {
                JsonNode attr = SeClient.JSON.readTree(f.toFile());
                attrs.put(attr.get("file_id").asText(), attr);
                referenced.add(f);
                referenced.add(dataDir.resolve(attr.get("storage_path").asText()).normalize());
            }
        }
        List<Path> leftovers = new ArrayList<>();
        for (Path f : files) {
            if (!referenced.contains(f.normalize()) && !INTERNAL.contains(f.getFileName().toString())) {
                leftovers.add(dataDir.relativize(f));
            }
        }
        List<Path> wal;
        try (Stream<Path> list = Files.list(walDir)) {
            wal = list.toList();
        }
        return new DiskState(attrs, leftovers, wal);
    }
}
