package io.artsore.se.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.artsore.se.api.ApiException;
import io.artsore.se.config.SeConfig;
import io.artsore.se.domain.ErrorCode;
import io.artsore.se.domain.FileMetadata;
import io.artsore.se.service.PendingUpload;
import io.artsore.se.service.StorageEngine;
import io.artsore.se.service.TestEngines;
import io.artsore.se.storage.attr.CorruptAttrException;
import io.artsore.se.storage.filestore.ShardLayout;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replica's lookup: on an index miss it catches up with the change journal, never lists a shard directory
 * (security review L4); a sidecar it cannot parse is 500 METADATA_CORRUPT, never 404.
 */
class FreshLookupTest {
    private final Clock clock = Clock.fixed(Instant.parse("2026-02-21T10:15:30Z"), ZoneOffset.UTC);

    @TempDir
    Path root;

    @Test
    void anUnparseableSidecarFoundByTheStartupScanIsMetadataCorrupt() throws Exception {
        SeConfig config = TestEngines.config(root);
        UUID id;
        try (StorageEngine e = StorageEngine.open(config, clock)) {
            id = upload(e).fileId();
        }
        corruptSidecarOf(config, id);
        try (StorageEngine e = StorageEngine.open(config, clock)) {
            FreshLookup lookup = new FreshLookup(e, () -> { });
            assertCode(lookup, id, ErrorCode.METADATA_CORRUPT);
            assertCode(lookup, UUID.randomUUID(), ErrorCode.NOT_FOUND);
        }
    }

    @Test
    void anUnparseableSidecarOfAFileTheJournalAnnouncedIsMetadataCorrupt() throws Exception {
        SeConfig config = TestEngines.config(root);
        try (StorageEngine reader = StorageEngine.open(config, clock);
             StorageEngine writer = StorageEngine.open(otherWriter(), clock)) {
            UUID id = upload(writer).fileId();
            corruptSidecarOf(config, id);
            // what the coordinator does with such a journal entry: the failure is reported and skipped
            FreshLookup lookup = new FreshLookup(reader, () -> {
                try {
                    reader.reloadFromDisk(id);
                } catch (CorruptAttrException skipped) {
                    // logged by the coordinator
                }
            });
            assertCode(lookup, id, ErrorCode.METADATA_CORRUPT);
        }
    }

    /** Every shard path is a plain file here: a lookup that listed a shard directory would fail with an I/O error. */
    @Test
    void randomIdMissesCatchUpWithTheJournalAndNeverListAShard() throws Exception {
        SeConfig config = TestEngines.config(root);
        try (StorageEngine e = StorageEngine.open(config, clock)) {
            ShardLayout layout = new ShardLayout(config.dataDir());
            AtomicInteger catchUps = new AtomicInteger();
            FreshLookup lookup = new FreshLookup(e, catchUps::incrementAndGet);
            Random random = new Random(17);
            int misses = 500;
            for (int i = 0; i < misses; i++) {
                UUID id = new UUID(random.nextLong(), random.nextLong());
                Path shard = layout.shardDir(id);
                if (!Files.exists(shard)) {
                    Files.writeString(shard, "not a directory");
                }
                assertThat(lookup.find(id)).isEmpty();
            }
            assertThat(catchUps).hasValue(misses);
        }
    }

    @Test
    void aFileTheJournalAnnouncesIsFoundOnTheMissThatCaughtUp() throws Exception {
        SeConfig config = TestEngines.config(root);
        try (StorageEngine reader = StorageEngine.open(config, clock);
             StorageEngine writer = StorageEngine.open(otherWriter(), clock)) {
            FileMetadata written = upload(writer);
            assertThat(reader.find(written.fileId())).isEmpty();
            FreshLookup lookup = new FreshLookup(reader, () -> reader.reloadFromDisk(written.fileId()));
            assertThat(lookup.require(written.fileId())).isEqualTo(written);
        }
    }

    /** Another process on the same data dir, with a WAL of its own. */
    private SeConfig otherWriter() {
        return TestEngines.config(root, Map.of("SE_WAL_DIR", root.resolve("writer-wal").toString()));
    }

    private static void assertCode(FreshLookup lookup, UUID id, ErrorCode code) {
        assertThatThrownBy(() -> lookup.require(id)).isInstanceOf(ApiException.class)
                .satisfies(ex -> assertThat(((ApiException) ex).code()).isEqualTo(code));
    }

    private FileMetadata upload(StorageEngine e) throws IOException {
        try (PendingUpload u = e.beginUpload("alice", 1)) {
            u.writeContent("a.txt", "text/plain", new ByteArrayInputStream(new byte[] {1}));
            return u.commit(null, null, null);
        }
    }

    private static void corruptSidecarOf(SeConfig config, UUID id) throws IOException {
        try (Stream<Path> files = Files.walk(config.dataDir())) {
            Path sidecar = files.filter(p -> p.getFileName().toString().endsWith(id + ".txt.attr.json"))
                    .findFirst().orElseThrow();
            Files.writeString(sidecar, "not json");
        }
    }
}
