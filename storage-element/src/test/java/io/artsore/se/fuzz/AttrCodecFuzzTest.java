package io.artsore.se.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.artsore.se.domain.FileMetadata;
import io.artsore.se.storage.attr.AttrCodec;
import io.artsore.se.storage.attr.CorruptAttrException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

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

    @Property(tries = 3000)
    void mutatedBytesDecodeOrAreCorrupt(@ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int rounds) {
        decodeOrCorrupt(Mutations.mutate(VALID.getBytes(StandardCharsets.UTF_8), seed, rounds));
    }

    @Property(tries = 3000)
    void anyValueInAnyFieldDecodesOrIsCorrupt(@ForAll("fields") String field, @ForAll("jsonValues") String value)
            throws Exception {
        ObjectNode attr = (ObjectNode) JSON.readTree(VALID);
        attr.set(field, JSON.readTree(value));
        decodeOrCorrupt(JSON.writeValueAsBytes(attr));
    }

    @Property(tries = 500)
    void randomBytesAreCorrupt(@ForAll byte[] bytes) {
        decodeOrCorrupt(bytes);
    }

    @Provide
    Arbitrary<String> fields() {
        return Arbitraries.of(FIELDS);
    }

    @Provide
    Arbitrary<String> jsonValues() {
        Arbitrary<String> strings = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(40),
                Arbitraries.of("../../etc/passwd", "/etc/passwd", "a/../../b", "C:\\x", "a\0b", "./a", "a//b", "",
                        "2026-13-45T99:99:99Z", "not-a-uuid", "ACTIVE", "deleted", "permanent"));
        return Arbitraries.oneOf(
                strings.map(s -> toJson(s)),
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.of("null", "true", "[]", "{}", "[1,2]", "[\"x\",null]", "1.5", "-1", "1e400",
                        "99999999999999999999999", "-0"));
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
