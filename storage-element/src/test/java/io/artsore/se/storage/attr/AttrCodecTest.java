package io.artsore.se.storage.attr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.artsore.se.domain.FileMetadata;
import io.artsore.se.domain.FileStatus;
import io.artsore.se.domain.RetentionPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AttrCodecTest {
    static final String SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    static final UUID ID = UUID.fromString("3f2b8c1e-6d4a-4f7b-9c1d-2e5a7b9c0d11");

    @TempDir
    Path dataDir;

    /** attr.json as the earlier Go implementation wrote it: RFC3339Nano timestamps, no storage_path. */
    static final String GO_TEMPORARY = """
            {
              "file_id": "3f2b8c1e-6d4a-4f7b-9c1d-2e5a7b9c0d11",
              "original_filename": "report.pdf",
              "content_type": "application/pdf",
              "size": 4,
              "checksum": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
              "uploaded_by": "ingester",
              "uploaded_at": "2026-02-21T10:15:30.123456789Z",
              "description": "Q1",
              "tags": ["finance", "q1"],
              "status": "active",
              "retention_policy": "temporary",
              "ttl_days": 30,
              "expires_at": "2026-03-23T10:15:30.123456789Z",
              "some_future_field": {"x": 1}
            }
            """;

    static final String GO_PERMANENT = """
            {"file_id":"3f2b8c1e-6d4a-4f7b-9c1d-2e5a7b9c0d11","original_filename":"a.bin",
             "content_type":"application/octet-stream","size":0,"checksum":"%s",
             "uploaded_by":"u","uploaded_at":"2026-02-21T10:15:30Z","status":"deleted",
             "retention_policy":"permanent","ttl_days":null,"expires_at":null}
            """.formatted(SHA);

    static FileMetadata sample(String storagePath) {
        return new FileMetadata(ID, "report.pdf", "application/pdf", 4, SHA, "ingester",
                Instant.parse("2026-02-21T10:15:30.123456789Z"), "Q1", List.of("finance", "q1"), FileStatus.ACTIVE,
                RetentionPolicy.TEMPORARY, 30, Instant.parse("2026-03-23T10:15:30.123456789Z"), storagePath);
    }

    @Test
    void readsGoStyleFileWithNanosecondsAndDerivesStoragePathFromItsName() throws IOException {
        Path shard = Files.createDirectories(dataDir.resolve("3f"));
        Path attr = shard.resolve("report_ingester_20260221T101530Z_" + ID + ".pdf.attr.json");
        Files.writeString(attr, GO_TEMPORARY);
        FileMetadata m = AttrCodec.read(attr, dataDir);
        assertThat(m).isEqualTo(sample("3f/report_ingester_20260221T101530Z_" + ID + ".pdf"));
    }

    @Test
    void readsGoStylePermanentFileWithoutFractionsAndWithNulls() throws IOException {
        Path attr = dataDir.resolve("a_u_20260221T101530Z_" + ID + ".bin.attr.json");
        Files.writeString(attr, GO_PERMANENT);
        FileMetadata m = AttrCodec.read(attr, dataDir);
        assertThat(m.uploadedAt()).isEqualTo(Instant.parse("2026-02-21T10:15:30Z"));
        assertThat(m.ttlDays()).isNull();
        assertThat(m.expiresAt()).isNull();
        assertThat(m.description()).isNull();
        assertThat(m.tags()).isNull();
        assertThat(m.status()).isEqualTo(FileStatus.DELETED);
        assertThat(m.retentionPolicy()).isEqualTo(RetentionPolicy.PERMANENT);
        assertThat(m.storagePath()).isEqualTo("a_u_20260221T101530Z_" + ID + ".bin");
    }

    @Test
    void timestampsWithOffsetsAreConvertedToUtc() throws IOException {
        String json = GO_PERMANENT.replace("2026-02-21T10:15:30Z", "2026-02-21T13:15:30.5+03:00");
        assertThat(AttrCodec.decode(json.getBytes(StandardCharsets.UTF_8), Path.of("x")).uploadedAt())
                .isEqualTo(Instant.parse("2026-02-21T10:15:30.5Z"));
    }

    @Test
    void encodeUsesContractFieldNamesUtcZAndRoundTrips() throws IOException {
        FileMetadata m = sample("3f/name.pdf");
        byte[] bytes = AttrCodec.encode(m);
        JsonNode tree = new ObjectMapper().readTree(bytes);
        assertThat(iterableNames(tree)).containsExactly("file_id", "original_filename", "content_type", "size",
                "checksum", "uploaded_by", "uploaded_at", "description", "tags", "status", "retention_policy",
                "ttl_days", "expires_at", "storage_path");
        assertThat(tree.get("uploaded_at").textValue()).isEqualTo("2026-02-21T10:15:30.123456789Z");
        assertThat(tree.get("status").textValue()).isEqualTo("active");
        assertThat(tree.get("retention_policy").textValue()).isEqualTo("temporary");
        assertThat(AttrCodec.decode(bytes, Path.of("x"))).isEqualTo(m);
    }

    @Test
    void permanentFileWritesExplicitNullsAndWholeSecondsWithoutFraction() throws IOException {
        FileMetadata m = new FileMetadata(ID, "a", "text/plain", 1, SHA, "u", Instant.parse("2026-01-01T00:00:00Z"),
                null, null, FileStatus.ACTIVE, RetentionPolicy.PERMANENT, null, null, "3f/a");
        JsonNode tree = new ObjectMapper().readTree(AttrCodec.encode(m));
        assertThat(tree.get("ttl_days").isNull()).isTrue();
        assertThat(tree.get("expires_at").isNull()).isTrue();
        assertThat(tree.get("uploaded_at").textValue()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(AttrCodec.decode(AttrCodec.encode(m), Path.of("x"))).isEqualTo(m);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", "null", "[]", "{\"file_id\":",
            "{}",
            "REPLACE:\"file_id\": \"3f2b8c1e-6d4a-4f7b-9c1d-2e5a7b9c0d11\"=>\"file_id\": \"not-a-uuid\"",
            "REPLACE:\"size\": 4=>\"size\": -1",
            "REPLACE:\"size\": 4=>\"size\": \"4\"",
            "REPLACE:\"checksum\": \"9f86=>\"checksum\": \"zz86",
            "REPLACE:\"status\": \"active\"=>\"status\": \"gone\"",
            "REPLACE:\"retention_policy\": \"temporary\"=>\"retention_policy\": \"forever\"",
            "REPLACE:\"uploaded_at\": \"2026-02-21T10:15:30.123456789Z\"=>\"uploaded_at\": \"21.02.2026\"",
            "REPLACE:\"uploaded_at\": \"2026-02-21T10:15:30.123456789Z\"=>\"uploaded_at\": \"2026-02-21T10:15:30\"",
            "REPLACE:\"tags\": [\"finance\", \"q1\"]=>\"tags\": \"finance\"",
            "REPLACE:\"tags\": [\"finance\", \"q1\"]=>\"tags\": [1]",
            "REPLACE:\"ttl_days\": 30=>\"ttl_days\": \"30\"",
            "REPLACE:\"uploaded_by\": \"ingester\",=>",
            "REPLACE:\"description\": \"Q1\"=>\"description\": 5",
            "REPLACE:\"some_future_field\"=>\"storage_path\": \"../../etc/passwd\", \"x\"",
            "REPLACE:\"some_future_field\"=>\"storage_path\": \"/etc/passwd\", \"x\"",
            "REPLACE:\"some_future_field\"=>\"storage_path\": \"3f/./a\", \"x\"",
            "REPLACE:\"some_future_field\"=>\"storage_path\": \"3f/a\\udc00b\", \"x\"",
    })
    void invalidContentIsCorruptWithThePath(String variant) throws IOException {
        String json = variant;
        if (variant.startsWith("REPLACE:")) {
            String[] parts = variant.substring("REPLACE:".length()).split("=>", 2);
            assertThat(GO_TEMPORARY).contains(parts[0]);
            json = GO_TEMPORARY.replace(parts[0], parts[1]);
        }
        Path attr = Files.writeString(dataDir.resolve("bad.attr.json"), json);
        assertThatThrownBy(() -> AttrCodec.read(attr, dataDir))
                .isInstanceOf(CorruptAttrException.class)
                .satisfies(e -> assertThat(((CorruptAttrException) e).path()).isEqualTo(attr));
    }

    @Test
    void missingFileIsNotReportedAsCorrupt() {
        assertThatThrownBy(() -> AttrCodec.read(dataDir.resolve("gone.attr.json"), dataDir))
                .isInstanceOf(java.nio.file.NoSuchFileException.class);
    }

    private static List<String> iterableNames(JsonNode n) {
        List<String> names = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
