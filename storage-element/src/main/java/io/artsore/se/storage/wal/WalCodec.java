package io.artsore.se.storage.wal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.artsore.se.storage.attr.AttrCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.UUID;
import java.util.zip.CRC32C;

/**
 * JSON form of a {@link WalRecord} (snake_case, RFC 3339 UTC).
 *
 * <p>Format version 2 (docs/protocols.md, WAL records) starts with {@code "format_version":2} and ends with
 * {@code ,"checksum":"crc32c:<8 hex digits>"} and the closing brace: the CRC32C of every byte before that
 * trailer. The checksum covers the bytes as written, not a re-serialisation, so no JSON library detail can make
 * a sound record look damaged. A record with neither field was written by an earlier version and is read as before; one with only
 * one of them, or a version other than 2, is unreadable (a flipped bit must not turn a checked record into an
 * unchecked one).
 */
final class WalCodec {
    static final int FORMAT_VERSION = 2;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VERSION_FIELD = "format_version";
    private static final String CHECKSUM_FIELD = "checksum";
    private static final String TRAILER_START = ",\"" + CHECKSUM_FIELD + "\":\"crc32c:";
    private static final String TRAILER_END = "\"}";
    private static final int TRAILER_LENGTH = TRAILER_START.length() + 8 + TRAILER_END.length();

    private WalCodec() {
    }

    static byte[] encode(WalRecord r) {
        ObjectNode o = JSON.createObjectNode();
        o.put(VERSION_FIELD, FORMAT_VERSION);
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
        byte[] object;
        try {
            object = JSON.writeValueAsBytes(o);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise WAL record", e);
        }
        byte[] body = Arrays.copyOf(object, object.length - 1); // without the closing brace
        byte[] trailer = (TRAILER_START + crc32c(body, body.length) + TRAILER_END).getBytes(StandardCharsets.US_ASCII);
        byte[] record = Arrays.copyOf(body, body.length + trailer.length);
        System.arraycopy(trailer, 0, record, body.length, trailer.length);
        return record;
    }

    /** @throws UnreadableWalRecordException when the bytes are not a sound record of a known format */
    static WalRecord decode(byte[] bytes) throws UnreadableWalRecordException {
        JsonNode n;
        try {
            n = JSON.readTree(bytes);
        } catch (IOException e) {
            throw new UnreadableWalRecordException("not JSON (torn or damaged): "
                    + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()), e);
        }
        if (n == null || !n.isObject()) {
            throw new UnreadableWalRecordException("not a JSON object");
        }
        if (n.has(VERSION_FIELD) || n.has(CHECKSUM_FIELD)) {
            verify(n, bytes);
        }
        try {
            return new WalRecord(
                    text(n, "transaction_id"),
                    WalOperation.fromWire(text(n, "operation"))
                            .orElseThrow(() -> new UnreadableWalRecordException("bad operation")),
                    WalStatus.fromWire(text(n, "status"))
                            .orElseThrow(() -> new UnreadableWalRecordException("bad status")),
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
            throw new UnreadableWalRecordException("invalid WAL record: " + e.getMessage(), e);
        }
    }

    private static void verify(JsonNode n, byte[] bytes) throws UnreadableWalRecordException {
        JsonNode version = n.get(VERSION_FIELD);
        if (version == null || !version.isInt() || version.intValue() != FORMAT_VERSION) {
            throw new UnreadableWalRecordException("unknown format_version " + version);
        }
        int body = bytes.length - TRAILER_LENGTH;
        if (body < 0) {
            throw new UnreadableWalRecordException("too short for a version " + FORMAT_VERSION + " record");
        }
        String trailer = new String(bytes, body, TRAILER_LENGTH, StandardCharsets.US_ASCII);
        if (!trailer.startsWith(TRAILER_START) || !trailer.endsWith(TRAILER_END)) {
            throw new UnreadableWalRecordException("no checksum at the end of a version " + FORMAT_VERSION + " record");
        }
        String stored = trailer.substring(TRAILER_START.length(), TRAILER_START.length() + 8);
        if (!stored.equals(crc32c(bytes, body))) {
            throw new UnreadableWalRecordException("checksum mismatch");
        }
    }

    private static String crc32c(byte[] bytes, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, length);
        return HexFormat.of().toHexDigits((int) crc.getValue());
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
