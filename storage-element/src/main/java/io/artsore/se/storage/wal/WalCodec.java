package io.artsore.se.storage.wal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.artsore.se.storage.attr.AttrCodec;
import java.io.IOException;
import java.time.Instant;
import java.util.UUID;

/** JSON form of a {@link WalRecord} (snake_case, RFC 3339 UTC). */
final class WalCodec {
    private static final ObjectMapper JSON = new ObjectMapper();

    private WalCodec() {
    }

    static byte[] encode(WalRecord r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("transaction_id", r.transactionId());
        o.put("operation", r.operation().wireName());
        o.put("status", r.status().wireName());
        o.put("file_id", r.fileId().toString());
        o.put("started_at", AttrCodec.format(r.startedAt()));
        o.put("completed_at", r.completedAt() == null ? null : AttrCodec.format(r.completedAt()));
        o.put("temp_path", r.tempPath());
        o.put("data_path", r.dataPath());
        o.put("attr_path", r.attrPath());
        o.put("attr_temp_path", r.attrTempPath());
        o.put("previous_attr", r.previousAttr());
        o.put("written_attr", r.writtenAttr());
        try {
            return JSON.writeValueAsBytes(o);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise WAL record", e);
        }
    }

    static WalRecord decode(byte[] bytes) throws IOException {
        JsonNode n = JSON.readTree(bytes);
        if (n == null || !n.isObject()) {
            throw new IOException("not a JSON object");
        }
        try {
            return new WalRecord(
                    text(n, "transaction_id"),
                    WalOperation.fromWire(text(n, "operation")).orElseThrow(() -> new IOException("bad operation")),
                    WalStatus.fromWire(text(n, "status")).orElseThrow(() -> new IOException("bad status")),
                    UUID.fromString(text(n, "file_id")),
                    Instant.parse(text(n, "started_at")),
                    text(n, "completed_at") == null ? null : Instant.parse(text(n, "completed_at")),
                    text(n, "temp_path"),
                    text(n, "data_path"),
                    text(n, "attr_path"),
                    text(n, "attr_temp_path"),
                    text(n, "previous_attr"),
                    text(n, "written_attr"));
        } catch (RuntimeException e) {
            throw new IOException("invalid WAL record: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
