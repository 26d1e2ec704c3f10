package io.artsore.se.storage.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.artsore.se.domain.FileMetadata;
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
        byte[] code = StoragePathCodec.encode(m.storagePath(), m.fileId().toString(), m.originalFilename(),
                m.uploadedBy(), m.uploadedAt());
        // shard "/" stem "_" user "_" timestamp "_" uuid extension
        assertThat(code).hasSize(10);
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
