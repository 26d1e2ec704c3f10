package io.artsore.se.testing;

import io.artsore.se.domain.FileMetadata;
import io.artsore.se.domain.FileStatus;
import io.artsore.se.domain.RetentionPolicy;
import io.artsore.se.storage.attr.AttrCodec;
import io.artsore.se.storage.filestore.DataFileNames;
import io.artsore.se.storage.filestore.ShardLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

/** Writes a store of many tiny, consistent files straight to disk (no fsync): fast fixtures for scale tests. */
public final class LargeStore {
    private static final byte[] CONTENT = {42};
    private static final String CONTENT_SHA256 =
            HexFormat.of().formatHex(sha256(CONTENT));

    private LargeStore() {
    }

    /** Creates {@code count} permanent files below {@code dataDir}; returns their ids. */
    public static List<UUID> generate(Path dataDir, int count) throws IOException {
        ShardLayout layout = new ShardLayout(dataDir);
        for (int shard = 0; shard < 256; shard++) {
            Files.createDirectories(dataDir.resolve(String.format("%02x", shard)));
        }
        Instant base = Instant.parse("2025-01-01T00:00:00Z");
        List<UUID> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ids.add(UUID.randomUUID());
        }
        IntStream.range(0, count).parallel().forEach(i -> {
            UUID id = ids.get(i);
            Instant at = base.plusMillis(i);
            String name = DataFileNames.of("file" + i + ".bin", "loader", at, id);
            String storagePath = layout.storagePath(id, name);
            FileMetadata m = new FileMetadata(id, "file" + i + ".bin", "application/octet-stream", CONTENT.length,
                    CONTENT_SHA256, "loader", at, null, null, FileStatus.ACTIVE, RetentionPolicy.PERMANENT, null,
                    null, storagePath);
            try {
                Path data = layout.resolve(storagePath);
                Files.write(data, CONTENT);
                Files.write(data.resolveSibling(name + AttrCodec.SUFFIX), AttrCodec.encode(m));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return ids;
    }

    private static byte[] sha256(byte[] b) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(b);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
