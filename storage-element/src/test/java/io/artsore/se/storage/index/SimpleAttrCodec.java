package io.artsore.se.storage.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.artsore.se.domain.FileMetadata;
import io.artsore.se.domain.FileStatus;
import io.artsore.se.domain.RetentionPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Stand-in for the storage layer's attr.json codec (contract §2/§13 field names), for tests and the benchmark.
 * Deliberately plain Jackson tree code: the index builder only needs an {@link AttrParser}.
 */
public final class SimpleAttrCodec implements AttrParser {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Override
    public FileMetadata parse(Path attrFile) throws IOException {
        return fromJson(Files.readAllBytes(attrFile));
    }

    public static void write(Path attrFile, FileMetadata m) throws IOException {
        Files.write(attrFile, toJson(m));
    }

    public static byte[] toJson(FileMetadata m) throws IOException {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("file_id", m.fileId().toString());
        o.put("original_filename", m.originalFilename());
        o.put("content_type", m.contentType());
        o.put("size", m.size());
        o.put("checksum", m.checksum());
        o.put("uploaded_by", m.uploadedBy());
        o.put("uploaded_at", m.uploadedAt().toString());
        if (m.description() != null) {
            o.put("description", m.description());
        }
        if (m.tags() != null) {
            ArrayNode tags = o.putArray("tags");
            m.tags().forEach(tags::add);
        }
        o.put("status", m.status().wireName());
        o.put("retention_policy", m.retentionPolicy().wireName());
        if (m.ttlDays() == null) {
            o.putNull("ttl_days");
        } else {
            o.put("ttl_days", m.ttlDays());
        }
        o.put("expires_at", m.expiresAt() == null ? null : m.expiresAt().toString());
        o.put("storage_path", m.storagePath());
        return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(o);
    }

    public static FileMetadata fromJson(byte[] json) throws IOException {
        JsonNode o = MAPPER.readTree(json);
        List<String> tags = null;
        if (o.hasNonNull("tags")) {
            tags = new ArrayList<>();
            for (JsonNode t : o.get("tags")) {
                tags.add(t.asText());
            }
        }
        return new FileMetadata(
                UUID.fromString(required(o, "file_id").asText()),
                required(o, "original_filename").asText(),
                required(o, "content_type").asText(),
                required(o, "size").asLong(),
                required(o, "checksum").asText(),
                required(o, "uploaded_by").asText(),
                Instant.parse(required(o, "uploaded_at").asText()),
                o.hasNonNull("description") ? o.get("description").asText() : null,
                tags,
                FileStatus.fromWire(required(o, "status").asText()).orElseThrow(),
                RetentionPolicy.fromWire(required(o, "retention_policy").asText()).orElseThrow(),
                o.hasNonNull("ttl_days") ? o.get("ttl_days").asInt() : null,
                o.hasNonNull("expires_at") ? Instant.parse(o.get("expires_at").asText()) : null,
                o.hasNonNull("storage_path") ? o.get("storage_path").asText() : null);
    }

    private static JsonNode required(JsonNode o, String field) throws IOException {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            throw new IOException("missing " + field);
        }
        return v;
    }
}
