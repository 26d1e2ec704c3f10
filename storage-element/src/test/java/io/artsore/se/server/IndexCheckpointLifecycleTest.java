package io.artsore.se.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.artsore.se.domain.FileMetadata;
import io.artsore.se.service.PendingUpload;
import io.artsore.se.service.StorageEngine;
import io.artsore.se.storage.index.IndexCheckpoint;
import io.artsore.se.testing.SeTestServer;
import io.artsore.se.testing.TestIssuer;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The element saves its index checkpoint periodically and when it stops, and starts from it. */
class IndexCheckpointLifecycleTest {
    @TempDir
    Path root;

    @Test
    void aStoppedElementLeavesACheckpointThatTheNextStartUses() throws Exception {
        Path checkpoint = root.resolve("wal").resolve(IndexCheckpoint.FILE_NAME);
        FileMetadata uploaded;
        try (TestIssuer issuer = new TestIssuer()) {
            try (SeTestServer se = SeTestServer.start(root, issuer, Map.of())) {
                assertThat(se.server().engine().startupReport().indexCheckpoint().status()).isEqualTo("absent");
                uploaded = upload(se.server().engine());
                assertThat(checkpoint).doesNotExist();
            }
            assertThat(checkpoint).exists();
            try (SeTestServer se = SeTestServer.start(root, issuer, Map.of())) {
                assertThat(se.server().engine().startupReport().indexCheckpoint().status()).isEqualTo("used");
                assertThat(se.server().engine().find(uploaded.fileId())).contains(uploaded);
            }
        }
    }

    @Test
    void aRunningElementSavesItsCheckpointPeriodically() throws Exception {
        Path checkpoint = root.resolve("wal").resolve(IndexCheckpoint.FILE_NAME);
        try (TestIssuer issuer = new TestIssuer();
             SeTestServer se = SeTestServer.start(root, issuer, Map.of("SE_INDEX_CHECKPOINT_INTERVAL", "100ms"))) {
            upload(se.server().engine());
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!Files.exists(checkpoint) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(checkpoint).exists();
        }
    }

    private static FileMetadata upload(StorageEngine engine) throws Exception {
        byte[] content = "hello".getBytes();
        try (PendingUpload u = engine.beginUpload("alice", content.length)) {
            u.writeContent("a.txt", "text/plain", new ByteArrayInputStream(content));
            return u.commit(null, List.of(), null);
        }
    }
}
