package io.artsore.se.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.artsore.se.domain.FileMetadata;
import io.artsore.se.storage.attr.AttrCodec;
import io.artsore.se.storage.attr.CorruptAttrException;
import io.artsore.se.testing.RandomInputs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Hostile attr.json files (the index is rebuilt from whatever is on disk): decoding yields valid metadata or a
 * {@link CorruptAttrException}, never another exception, and an accepted {@code storage_path} never leaves the
 * data dir.
 */
class AttrCodecFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SOURCE = Path.of("fuzz.attr.json");
    private static final String VALID = """
            {"file_id":"0b6f7c1e-8d1a-4c55-9a4e-2f0f1b7c9d10","original_filename":"r.pdf",
             "content_type":"application/pdf","size":12,"checksum":"%s","uploaded_by":"alice",
             "uploaded_at":"2026-02-21T10:15:30Z","description":"d","tags":["a"],"status":"active",
             "retention_policy":"temporary","ttl_days":30,"expires_at":"2026-03-23T10:15:30Z",
             "storage_path":"0b/r_alice_x.pdf"}""".formatted("ab".repeat(32));
    private static final List<String> FIELDS = List.of("file_id", "original_filename", "content_type", "size",
            "checksum", "uploaded_by", "uploaded_at", "description", "tags", "status", "retention_policy", "ttl_days",
            "expires_at", "storage_path");

    /**
     * Strings that name places outside the data dir or no file at all (an unpaired surrogate), or look almost like a
     * valid timestamp, status or policy.
     */
    private static final List<String> HOSTILE_STRINGS = List.of("../../etc/passwd", "/etc/passwd", "a/../../b",
            "C:\\x", "a\0b", "./a", "a//b", "", "2026-13-45T99:99:99Z", "not-a-uuid", "ACTIVE", "deleted",
            "permanent", "3f/a\udc00b");
    private static final List<String> ODD_JSON = List.of("null", "true", "[]", "{}", "[1,2]", "[\"x\",null]", "1.5",
            "-1", "1e400", "99999999999999999999999", "-0");

    private record FieldValue(String field, String jsonValue) {
    }

    @Test
    void mutatedBytesDecodeOrAreCorrupt() {
        byte[] valid = VALID.getBytes(StandardCharsets.UTF_8);
        RandomInputs.forAll(Mutations.edgeCases(6), 3000, random -> Mutations.random(random, 6),
                mutation -> decodeOrCorrupt(mutation.apply(valid)));
    }

    @Test
    void anyValueInAnyFieldDecodesOrIsCorrupt() {
        RandomInputs.forAll(everyFieldWithEveryOddValue(), 3000,
                random -> new FieldValue(RandomInputs.oneOf(random, FIELDS.toArray(String[]::new)), jsonValue(random)),
                c -> {
                    ObjectNode attr = (ObjectNode) JSON.readTree(VALID);
                    attr.set(c.field(), JSON.readTree(c.jsonValue()));
                    decodeOrCorrupt(JSON.writeValueAsBytes(attr));
                });
    }

    @Test
    void randomBytesAreCorrupt() {
        List<byte[]> edgeCases = List.of(new byte[0], "{}".getBytes(StandardCharsets.UTF_8),
                "null".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        RandomInputs.forAll(edgeCases, 500, random -> RandomInputs.bytes(random, 255),
                AttrCodecFuzzTest::decodeOrCorrupt);
    }

    /** Every hand-picked value in every field: a uniform draw would pair each of them with a field only rarely. */
    private static List<FieldValue> everyFieldWithEveryOddValue() {
        List<FieldValue> cases = new ArrayList<>();
        for (String field : FIELDS) {
            HOSTILE_STRINGS.forEach(s -> cases.add(new FieldValue(field, toJson(s))));
            ODD_JSON.forEach(v -> cases.add(new FieldValue(field, v)));
        }
        return cases;
    }

    /** A JSON string (random or hostile), any long, or an odd JSON value, a third of the time each. */
    private static String jsonValue(Random random) {
        return switch (random.nextInt(3)) {
            case 0 -> toJson(random.nextBoolean() ? RandomInputs.anyString(random, 40)
                    : RandomInputs.oneOf(random, HOSTILE_STRINGS.toArray(String[]::new)));
            case 1 -> String.valueOf(RandomInputs.longIn(random, Long.MIN_VALUE, Long.MAX_VALUE));
            default -> RandomInputs.oneOf(random, ODD_JSON.toArray(String[]::new));
        };
    }

    private static String toJson(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void decodeOrCorrupt(byte[] bytes) {
        FileMetadata m;
        try {
            m = AttrCodec.decode(bytes, SOURCE);
        } catch (CorruptAttrException expected) {
            return;
        }
        if (m.storagePath() != null) {
            Path data = Path.of("/data");
            assertThat(data.resolve(m.storagePath()).normalize()).startsWithRaw(data).isNotEqualTo(data);
        }
        assertThat(m.size()).isNotNegative();
        assertThat(m.checksum()).matches("[0-9a-f]{64}");
    }
}
