package io.artsore.se.storage.attr;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.artsore.se.domain.FileMetadata;
import io.artsore.se.domain.FileStatus;
import io.artsore.se.domain.RetentionPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The attr.json format (docs/contract.md §2 FileMetadata + {@code storage_path}, §13). Writing uses the contract's
 * snake_case names and RFC 3339 UTC timestamps ending in {@code Z}. Reading is strict: anything that is not
 * valid metadata is a {@link CorruptAttrException}, never a silently skipped file; unknown fields are
 * ignored so files written by other implementations (the earlier Go SE) and newer versions still read.
 */
public final class AttrCodec {
    /** Sidecar suffix: the data file name plus this. */
    public static final String SUFFIX = ".attr.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");

    private AttrCodec() {
    }

    public static byte[] encode(FileMetadata m) {
        ObjectNode o = JSON.createObjectNode();
        o.put("file_id", m.fileId().toString());
        o.put("original_filename", m.originalFilename());
        o.put("content_type", m.contentType());
        o.put("size", m.size());
        o.put("checksum", m.checksum());
        o.put("uploaded_by", m.uploadedBy());
        o.put("uploaded_at", format(m.uploadedAt()));
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
        if (m.expiresAt() == null) {
            o.putNull("expires_at");
        } else {
            o.put("expires_at", format(m.expiresAt()));
        }
        if (m.storagePath() != null) {
            o.put("storage_path", m.storagePath());
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise metadata", e);
        }
    }

    /** RFC 3339 in UTC with {@code Z}; fractions only when present. */
    public static String format(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t);
    }

    /**
     * Reads the sidecar {@code attrFile} below {@code dataDir}. A missing {@code storage_path} (older writers) is
     * derived from the sidecar's own name. Missing file → {@link java.nio.file.NoSuchFileException}.
     */
    public static FileMetadata read(Path attrFile, Path dataDir) throws IOException {
        FileMetadata m = decode(Files.readAllBytes(attrFile), attrFile);
        if (m.storagePath() != null) {
            return m;
        }
        String name = attrFile.getFileName().toString();
        if (!name.endsWith(SUFFIX) || name.length() == SUFFIX.length()) {
            throw new CorruptAttrException(attrFile, "no storage_path and not named <data file>" + SUFFIX, null);
        }
        Path data = attrFile.resolveSibling(name.substring(0, name.length() - SUFFIX.length()));
        String relative = dataDir.toAbsolutePath().normalize().relativize(data.toAbsolutePath().normalize())
                .toString().replace('\\', '/');
        return withStoragePath(m, relative);
    }

    /** Parses attr.json bytes; {@code source} only labels errors. {@code storagePath} is null when absent. */
    public static FileMetadata decode(byte[] json, Path source) throws CorruptAttrException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new CorruptAttrException(source, "not JSON", e);
        }
        if (root == null || !root.isObject()) {
            throw new CorruptAttrException(source, "not a JSON object", null);
        }
        Fields f = new Fields(root, source);
        try {
            String checksum = f.text("checksum", true);
            if (!SHA256_HEX.matcher(checksum).matches()) {
                throw f.bad("checksum", "not a SHA-256 hex digest");
            }
            long size = f.longValue("size");
            if (size < 0) {
                throw f.bad("size", "negative");
            }
            return new FileMetadata(
                    f.uuid("file_id"),
                    f.text("original_filename", true),
                    f.text("content_type", true),
                    size,
                    checksum.toLowerCase(java.util.Locale.ROOT),
                    f.text("uploaded_by", true),
                    f.instant("uploaded_at", true),
                    f.text("description", false),
                    f.tags(),
                    FileStatus.fromWire(f.text("status", true)).orElseThrow(() -> f.bad("status", "unknown value")),
                    RetentionPolicy.fromWire(f.text("retention_policy", true))
                            .orElseThrow(() -> f.bad("retention_policy", "unknown value")),
                    f.ttlDays(),
                    f.instant("expires_at", false),
                    f.storagePath());
        } catch (UncheckedCorrupt e) {
            throw e.cause;
        }
    }

    private static FileMetadata withStoragePath(FileMetadata m, String storagePath) {
        return new FileMetadata(m.fileId(), m.originalFilename(), m.contentType(), m.size(), m.checksum(),
                m.uploadedBy(), m.uploadedAt(), m.description(), m.tags(), m.status(), m.retentionPolicy(),
                m.ttlDays(), m.expiresAt(), storagePath);
    }

    /** Lets field accessors fail from inside the constructor-argument list. */
    private static final class UncheckedCorrupt extends RuntimeException {
        final CorruptAttrException cause;

        UncheckedCorrupt(CorruptAttrException cause) {
            super(cause.getMessage(), null, false, false);
            this.cause = cause;
        }
    }

    /** Typed, strict access to the fields of one attr.json object. */
    private record Fields(JsonNode root, Path source) {
        UncheckedCorrupt bad(String field, String reason) {
            return new UncheckedCorrupt(new CorruptAttrException(source, field + ": " + reason, null));
        }

        /** Null when absent or JSON null and not required. */
        String text(String field, boolean required) {
            JsonNode n = root.get(field);
            if (n == null || n.isNull()) {
                if (required) {
                    throw bad(field, "missing");
                }
                return null;
            }
            if (!n.isTextual()) {
                throw bad(field, "not a string");
            }
            return n.textValue();
        }

        long longValue(String field) {
            JsonNode n = root.get(field);
            if (n == null || !n.isIntegralNumber() || !n.canConvertToLong()) {
                throw bad(field, "missing or not an integer");
            }
            return n.longValue();
        }

        UUID uuid(String field) {
            String v = text(field, true);
            try {
                UUID id = UUID.fromString(v);
                if (!id.toString().equalsIgnoreCase(v)) {
                    throw bad(field, "not a canonical UUID");
                }
                return id;
            } catch (IllegalArgumentException e) {
                throw bad(field, "not a UUID");
            }
        }

        Instant instant(String field, boolean required) {
            String v = text(field, required);
            if (v == null) {
                return null;
            }
            try {
                return OffsetDateTime.parse(v, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            } catch (DateTimeParseException e) {
                throw bad(field, "not an RFC 3339 date-time");
            }
        }

        List<String> tags() {
            JsonNode n = root.get("tags");
            if (n == null || n.isNull()) {
                return null;
            }
            if (!n.isArray()) {
                throw bad("tags", "not an array");
            }
            List<String> tags = new ArrayList<>(n.size());
            for (JsonNode t : n) {
                if (!t.isTextual()) {
                    throw bad("tags", "element is not a string");
                }
                tags.add(t.textValue());
            }
            return tags;
        }

        Integer ttlDays() {
            JsonNode n = root.get("ttl_days");
            if (n == null || n.isNull()) {
                return null;
            }
            if (!n.isIntegralNumber() || !n.canConvertToInt()) {
                throw bad("ttl_days", "not an integer");
            }
            return n.intValue();
        }

        /** A relative path that stays inside the data dir; anything else could make downloads read other files. */
        String storagePath() {
            String v = text("storage_path", false);
            if (v == null) {
                return null;
            }
            String normalised = v.replace('\\', '/');
            if (normalised.isEmpty() || normalised.startsWith("/") || normalised.indexOf('\0') >= 0
                    || normalised.matches("^[A-Za-z]:.*")) {
                throw bad("storage_path", "not a relative path");
            }
            if (!StandardCharsets.UTF_8.newEncoder().canEncode(normalised)) {
                // an unpaired surrogate: no file can have this name, and Path.resolve would throw on it later
                throw bad("storage_path", "not a valid file name");
            }
            for (String segment : normalised.split("/")) {
                if (segment.equals("..") || segment.equals(".") || segment.isEmpty()) {
                    throw bad("storage_path", "must not contain '.', '..' or empty segments");
                }
            }
            return normalised;
        }
    }
}
