package io.artsore.se.storage.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.artsore.se.domain.FileMetadata;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The compact form must give back exactly the metadata that was put, whatever it holds. */
class CompactEntryRoundTripTest {

    @Test
    void putThenGetReturnsEqualMetadataForArbitraryContent() {
        for (long seed = 0; seed < 5000; seed++) {
            FileMetadata m = new ArbitraryMetadata(seed).next();
            FileIndex index = new FileIndex();
            index.put(m);
            assertThat(index.get(m.fileId())).as("seed %d", seed).contains(m);
            assertThat(index.page(null, 0, 10).items()).as("seed %d", seed).containsExactly(m);
            assertThat(index.page(m.status(), 0, 10).items()).as("seed %d", seed).containsExactly(m);
            assertThat(index.remove(m.fileId())).as("seed %d", seed).contains(m);
        }
    }

    @Test
    void theCheckpointFormOfAnEntryReadsBackToEqualMetadataForArbitraryContent() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        SharedStrings written = new SharedStrings(new Interner());
        List<FileMetadata> expected = new ArrayList<>();
        for (long seed = 0; seed < 5000; seed++) {
            FileMetadata m = new ArbitraryMetadata(seed).next();
            expected.add(m);
            CompactEntry.of(m, new Interner()).write(out, written);
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
        SharedStrings read = new SharedStrings(new Interner());
        for (int i = 0; i < expected.size(); i++) {
            assertThat(CompactEntry.read(in, read).toMetadata()).as("seed %d", i).isEqualTo(expected.get(i));
        }
        assertThat(in.read()).isEqualTo(-1);
    }

    @Test
    void realisticMetadataRoundTrips() {
        Random random = new Random(7);
        Interner interner = new Interner();
        for (int i = 0; i < 1000; i++) {
            FileMetadata m = TestFiles.realistic(random, i);
            assertThat(CompactEntry.of(m, interner).toMetadata()).isEqualTo(m);
        }
    }

    @Test
    void realisticStoragePathShrinksToAFewBytes() {
        FileMetadata m = TestFiles.realistic(new Random(1), 0);
        byte[] code = StoragePathCodec.encode(m.storagePath(), m.fileId(), m.originalFilename(),
                m.uploadedBy(), m.uploadedAt());
        // shard "/" stem "_" user "_" timestamp "_" uuid extension
        assertThat(code).hasSize(10);
    }

    @Test
    void fileNameTimestampMatchesTheBasicIsoFormat() {
        DateTimeFormatter basic = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
        for (String at : List.of("2026-02-21T10:15:30.123456789Z", "0000-01-01T00:00:00Z", "1969-12-31T23:59:59Z",
                "9999-12-31T23:59:59.999Z", "2024-02-29T00:00:00Z")) {
            Instant instant = Instant.parse(at);
            assertThat(StoragePathCodec.fileNameTimestamp(instant)).isEqualTo(basic.format(instant));
        }
        assertThat(StoragePathCodec.fileNameTimestamp(Instant.parse("+10000-01-01T00:00:00Z"))).isEmpty();
        assertThat(StoragePathCodec.fileNameTimestamp(Instant.parse("-0001-12-31T23:59:59Z"))).isEmpty();
    }

    @Test
    void pathCharactersThatLookLikeTokensSurviveEscaping() {
        FileMetadata m = TestFiles.realistic(new Random(2), 0);
        String odd = "\u0000\u0001a\u0007b/\u0008" + m.fileId() + "\u0003";
        FileMetadata withOddPath = new FileMetadata(m.fileId(), m.originalFilename(), m.contentType(), m.size(),
                m.checksum(), m.uploadedBy(), m.uploadedAt(), null, null, m.status(), m.retentionPolicy(), null, null,
                odd);
        assertThat(CompactEntry.of(withOddPath, new Interner()).toMetadata()).isEqualTo(withOddPath);
    }
}
