package io.artsore.se.api.http;

import static io.artsore.se.api.http.HttpTestSupport.json;
import static io.artsore.se.api.http.HttpTestSupport.uploadOk;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.artsore.se.testing.HttpTestBase;
import io.artsore.se.testing.MutableClock;
import io.artsore.se.testing.SeTestServer;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /api/v1/maintenance/reconcile} over HTTP against a data dir damaged by hand in every way the
 * contract names (plus a corrupt attr.json, internal files and temp leftovers); the exact response is checked
 * and validated against the OpenAPI document.
 */
class ReconcileHttpTest extends HttpTestBase {
    static final String RECONCILE = "/api/v1/maintenance/reconcile";

    final MutableClock clock = new MutableClock(Instant.now());
    Path data;

    @BeforeEach
    void start() throws Exception {
        se = SeTestServer.start(root, issuer, Map.of("SE_SCRUB_BYTES_PER_SEC", "0"), clock);
        data = root.resolve("data");
    }

    @Test
    void aCleanStoreHasNoIssuesAndIssuesIsAnEmptyArray() throws Exception {
        uploadOk(se, "a.pdf", new byte[] {1, 2, 3});
        JsonNode report = reconcile("");
        assertThat(report.path("issues").isArray()).isTrue();
        assertThat(report.path("issues")).isEmpty();
        assertThat(report.path("files_checked").asLong()).isEqualTo(1);
        assertThat(report.path("summary").toString()).isEqualTo(
                "{\"ok\":1,\"orphaned_files\":0,\"missing_files\":0,\"checksum_mismatches\":0,\"size_mismatches\":0}");
    }

    @Test
    void everyIssueTypeIsReportedExactlyAndInternalFilesNever() throws Exception {
        String missing = id(uploadOk(se, "missing.pdf", bytes("gone soon")));
        String resized = id(uploadOk(se, "resized.pdf", bytes("twelve bytes")));
        String target = id(uploadOk(se, "target.pdf", bytes("pointed at")));
        String duplicated = id(uploadOk(se, "dup.pdf", bytes("described twice")));
        String flipped = id(uploadOk(se, "flipped.pdf", bytes("bit rot here")));
        String clean = id(uploadOk(se, "clean.pdf", bytes("fine")));

        // missing_file: data removed
        Path missingData = dataFile(missing);
        Files.delete(missingData);
        // size_mismatch: one byte appended
        Path resizedData = dataFile(resized);
        Files.write(resizedData, new byte[] {0}, StandardOpenOption.APPEND);
        // checksum_mismatch (full verification only): same size, one byte flipped
        Path flippedData = dataFile(flipped);
        byte[] content = Files.readAllBytes(flippedData);
        content[0] ^= 0x01;
        Files.write(flippedData, content);
        // orphaned_file: data without any attr.json, named like a real data file
        UUID strayId = UUID.randomUUID();
        Path stray = Files.createDirectories(data.resolve("zz")).resolve("stray_bob_20260101T000000Z_" + strayId + ".bin");
        Files.writeString(stray, "nobody describes me");
        // orphaned_attr: a fresh id whose storage_path points at another file's data
        var elsewhere = (com.fasterxml.jackson.databind.node.ObjectNode) HttpTestSupport.JSON.readTree(
                attrOf(dataFile(target)).toFile());
        UUID elsewhereId = UUID.randomUUID();
        elsewhere.put("file_id", elsewhereId.toString());
        Files.writeString(data.resolve("zz/elsewhere.bin.attr.json"), elsewhere.toString());
        // orphaned_attr: a second attr.json with the same file_id
        Path dupCopy = Files.createDirectories(data.resolve("yy")).resolve("copy.bin.attr.json");
        Files.copy(attrOf(dataFile(duplicated)), dupCopy);
        // corrupt attr.json next to its data: one issue, the data file is not reported separately
        Files.writeString(data.resolve("yy/broken.bin.attr.json"), "{\"file_id\": ");
        Files.writeString(data.resolve("yy/broken.bin"), "data of a broken sidecar");
        // internal files: never reported, never deleted
        Files.writeString(data.resolve("mode.json"), "{\"mode\":\"edit\",\"updated_at\":\"2026-01-01T00:00:00Z\",\"updated_by\":\"x\"}");
        Files.writeString(data.resolve(".leader.lock"), "");
        Files.writeString(data.resolve(".leader.info"), "127.0.0.1:1");
        Files.writeString(Files.createDirectories(data.resolve(".snapshot/old")).resolve("x.bin"), "snapshot");
        Path freshTemp = data.resolve("zz/.upload-" + UUID.randomUUID() + ".tmp");
        Files.writeString(freshTemp, "an upload in flight");
        Path staleTemp = data.resolve("zz/.atomic-" + UUID.randomUUID() + ".tmp");
        Files.writeString(staleTemp, "left by a crash");
        Files.setLastModifiedTime(staleTemp, FileTime.from(Instant.now().minus(Duration.ofHours(2))));

        JsonNode report = reconcile("");
        String dupPath = rel(dataFile(duplicated));
        String targetPath = rel(dataFile(target));
        assertThat(issues(report)).containsExactlyInAnyOrder(
                issue(missing, rel(missingData), "missing_file",
                        "attr.json " + rel(missingData) + ".attr.json describes a data file that does not exist"),
                issue(resized, rel(resizedData), "size_mismatch", "data file has 13 bytes, attr.json says 12"),
                issue(duplicated, "yy/copy.bin.attr.json", "orphaned_attr",
                        "file_id is also described by " + dupPath + ".attr.json; this attr.json is not indexed"),
                issue(null, "yy/broken.bin.attr.json", "orphaned_attr",
                        "corrupt attr.json (not JSON); not indexed, its data file is kept"),
                issue(elsewhereId.toString(), "zz/elsewhere.bin.attr.json", "orphaned_attr",
                        "storage_path points to " + targetPath + ", not to the data file next to this attr.json"),
                issue(strayId.toString(), rel(stray), "orphaned_file", "data file without attr.json"));
        List<String> paths = new ArrayList<>();
        report.path("issues").forEach(i -> paths.add(i.path("path").asText()));
        assertThat(paths).as("ordered by path").isSorted();
        assertThat(report.path("files_checked").asLong()).isEqualTo(9);
        assertThat(report.path("summary").toString()).isEqualTo(
                "{\"ok\":4,\"orphaned_files\":1,\"missing_files\":1,\"checksum_mismatches\":0,\"size_mismatches\":1}");
        assertThat(Instant.parse(report.path("started_at").asText()))
                .isBeforeOrEqualTo(Instant.parse(report.path("completed_at").asText()));

        assertThat(staleTemp).as("crash leftover older than the safety age removed").doesNotExist();
        for (Path kept : List.of(freshTemp, stray, data.resolve("mode.json"),
                data.resolve(".leader.lock"), data.resolve(".leader.info"), data.resolve("yy/broken.bin"), dupCopy,
                data.resolve(".snapshot/old/x.bin"), resizedData)) {
            assertThat(kept).as("nothing else is deleted").exists();
        }

        // full verification also hashes: the flipped byte shows up
        JsonNode verified = reconcile("?verify=full");
        assertThat(issues(verified)).contains(issue(flipped, rel(flippedData), "checksum_mismatch",
                "content hashes to " + HttpTestSupport.sha256(content) + ", attr.json says "
                        + HttpTestSupport.sha256(bytes("bit rot here")) + " (found by full verification)"));
        assertThat(verified.path("summary").path("checksum_mismatches").asLong()).isEqualTo(1);
        assertThat(verified.path("summary").path("ok").asLong()).isEqualTo(3);
        // the finding is remembered: a plain run reports it too, without hashing
        JsonNode again = reconcile("");
        assertThat(again.path("summary").path("checksum_mismatches").asLong()).isEqualTo(1);

        // the rebuilt index holds one entry per id, the clean file is untouched
        HttpResponse<byte[]> list = se.send(se.authorized("/api/v1/files?limit=100", "files:read").GET().build());
        assertThat(json(list).path("total").asLong()).isEqualTo(7); // 6 uploads + the fresh id pointing elsewhere
        HttpResponse<byte[]> meta = se.send(se.authorized("/api/v1/files/" + clean, "files:read").GET().build());
        assertThat(meta.statusCode()).isEqualTo(200);

        String metrics = new String(se.send(se.request("/metrics").GET().build()).body(), StandardCharsets.UTF_8);
        assertThat(metrics).contains("se_reconcile_runs_total 3.0", "se_reconcile_issues_total{type=\"orphaned_attr\"} 9.0",
                "se_reconcile_issues_total{type=\"checksum_mismatch\"} 2.0", "se_reconcile_duration_seconds_count 3");
    }

    @Test
    void reconcileNeedsTheStorageWriteScope() throws Exception {
        HttpResponse<byte[]> r = se.send(se.authorized(RECONCILE, "files:write").POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(r.statusCode()).isEqualTo(403);
    }

    private JsonNode reconcile(String query) throws Exception {
        HttpResponse<byte[]> r = se.send(se.authorized(RECONCILE + query, "storage:write")
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        return json(r);
    }

    private static List<String> issues(JsonNode report) {
        List<String> out = new ArrayList<>();
        report.path("issues").forEach(i -> out.add(i.toString()));
        return out;
    }

    private static String issue(String fileId, String path, String type, String description) {
        var node = HttpTestSupport.JSON.createObjectNode();
        node.put("file_id", fileId);
        node.put("path", path);
        node.put("type", type);
        node.put("description", description);
        return node.toString();
    }

    private static String id(JsonNode meta) {
        return meta.path("file_id").asText();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private Path dataFile(String fileId) throws Exception {
        try (Stream<Path> s = Files.walk(data)) {
            return s.filter(p -> {
                String n = p.getFileName().toString();
                return n.contains(fileId) && !n.endsWith(".attr.json") && !n.startsWith(".");
            }).findFirst().orElseThrow();
        }
    }

    private static Path attrOf(Path dataFile) {
        return dataFile.resolveSibling(dataFile.getFileName() + ".attr.json");
    }

    private String rel(Path p) {
        return data.relativize(p).toString().replace('\\', '/');
    }
}
