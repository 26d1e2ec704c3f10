package io.artsore.se.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.artsore.se.api.ApiException;
import io.artsore.se.config.SeConfig;
import io.artsore.se.domain.ErrorCode;
import io.artsore.se.service.PendingUpload;
import io.artsore.se.service.StorageEngine;
import io.artsore.se.service.TestEngines;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A follower looks on disk on an index miss: a sidecar it cannot parse is 500 METADATA_CORRUPT, never 404. */
class FreshLookupTest {
    private final Clock clock = Clock.fixed(Instant.parse("2026-02-21T10:15:30Z"), ZoneOffset.UTC);

    @TempDir
    Path root;

    @Test
    void anUnparseableSidecarFoundOnAMissIsMetadataCorrupt() throws Exception {
        SeConfig config = TestEngines.config(root);
        UUID id;
        try (StorageEngine e = StorageEngine.open(config, clock);
             PendingUpload u = e.beginUpload("alice", 1)) {
            u.writeContent("a.txt", "text/plain", new ByteArrayInputStream(new byte[] {1}));
            id = u.commit(null, null, null).fileId();
        }
        try (Stream<Path> files = Files.walk(config.dataDir())) {
            Path sidecar = files.filter(p -> p.getFileName().toString().endsWith(id + ".txt.attr.json"))
                    .findFirst().orElseThrow();
            Files.writeString(sidecar, "not json");
        }
        try (StorageEngine e = StorageEngine.open(config, clock)) {
            FreshLookup lookup = new FreshLookup(e);
            assertThatThrownBy(() -> lookup.require(id)).isInstanceOf(ApiException.class)
                    .satisfies(ex -> assertThat(((ApiException) ex).code()).isEqualTo(ErrorCode.METADATA_CORRUPT));
            assertThatThrownBy(() -> lookup.require(UUID.randomUUID()))
                    .satisfies(ex -> assertThat(((ApiException) ex).code()).isEqualTo(ErrorCode.NOT_FOUND));
        }
    }
}
