import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.LongStream;

/**
 * Fills a data dir with COUNT stored files the way the element lays them out (docs/contract.md §13, shard = first
 * two hex digits of the id): an empty data file plus its attr.json sidecar, in the format AttrCodec writes. Run:
 * {@code java bench/GenSidecars.java DATA_DIR COUNT}. Files are not fsync'd; the caller runs sync.
 */
public final class GenSidecars {
    private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final Instant BASE = Instant.parse("2026-01-01T00:00:00Z");

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        long count = Long.parseLong(args[1]);
        for (int shard = 0; shard < 256; shard++) {
            Files.createDirectories(data.resolve(String.format("%02x", shard)));
        }
        LongStream.range(0, count).parallel().forEach(i -> write(data, i));
    }

    private static void write(Path data, long i) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        UUID id = new UUID((r.nextLong() & ~0xF000L) | 0x4000L, (r.nextLong() & ~(3L << 62)) | (2L << 62));
        Instant at = BASE.plusMillis(i);
        String name = "bench-" + i + "_bench_" + STAMP.format(at) + "_" + id + ".bin";
        String rel = id.toString().substring(0, 2) + "/" + name;
        String json = """
                {
                  "file_id" : "%s",
                  "original_filename" : "bench-%d.bin",
                  "content_type" : "application/octet-stream",
                  "size" : 0,
                  "checksum" : "%s",
                  "uploaded_by" : "bench",
                  "uploaded_at" : "%s",
                  "status" : "active",
                  "retention_policy" : "permanent",
                  "ttl_days" : null,
                  "expires_at" : null,
                  "storage_path" : "%s"
                }""".formatted(id, i, EMPTY_SHA256, at, rel);
        try {
            Files.write(data.resolve(rel), new byte[0]);
            Files.write(data.resolve(rel + ".attr.json"), json.getBytes(StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
