package io.artsore.se.storage.index;

import io.artsore.se.domain.FileMetadata;
import io.artsore.se.domain.FileStatus;
import io.artsore.se.domain.RetentionPolicy;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/** Realistic metadata for tests and the benchmark: the shape the storage layer writes. */
public final class TestFiles {
    private static final List<String> CONTENT_TYPES = List.of("application/pdf", "image/png", "image/jpeg",
            "text/plain", "application/octet-stream", "application/zip");
    private static final List<String> EXTENSIONS = List.of(".pdf", ".png", ".jpg", ".txt", ".bin", ".zip");
    private static final Instant EPOCH = Instant.parse("2026-02-21T10:15:30Z");

    private TestFiles() {
    }

    /** A permanent active file uploaded {@code secondsAfterBase} after a fixed instant, by "alice". */
    public static FileMetadata realistic(Random random, long secondsAfterBase) {
        return realistic(new UUID(random.nextLong(), random.nextLong()), random, EPOCH.plusSeconds(secondsAfterBase));
    }

    public static FileMetadata realistic(UUID id, Random random, Instant uploadedAt) {
        int type = random.nextInt(CONTENT_TYPES.size());
        String name = "report-" + (1000 + random.nextInt(9000)) + "-q" + random.nextInt(5) + "-final" + EXTENSIONS.get(type);
        byte[] sha = new byte[32];
        random.nextBytes(sha);
        String stem = name.substring(0, name.lastIndexOf('.'));
        String path = id.toString().substring(0, 2) + "/" + stem + "_alice_"
                + StoragePathCodec.fileNameTimestamp(uploadedAt) + "_" + id + EXTENSIONS.get(type);
        return new FileMetadata(id, name, CONTENT_TYPES.get(type), 1 + random.nextInt(50_000_000),
                HexFormat.of().formatHex(sha), "alice", uploadedAt, null, null, FileStatus.ACTIVE,
                RetentionPolicy.PERMANENT, null, null, path);
    }
}
