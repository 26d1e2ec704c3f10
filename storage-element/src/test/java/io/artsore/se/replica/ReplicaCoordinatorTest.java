package io.artsore.se.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.artsore.se.config.ConfigLoader;
import io.artsore.se.config.SeConfig;
import io.artsore.se.domain.ErrorCode;
import io.artsore.se.domain.FileMetadata;
import io.artsore.se.domain.Mode;
import io.artsore.se.domain.SeException;
import io.artsore.se.service.LeaderOnlyWork;
import io.artsore.se.service.PendingUpload;
import io.artsore.se.service.StorageEngine;
import io.artsore.se.storage.mode.ModeStore;
import io.artsore.se.storage.mode.PersistedMode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two replicas in one JVM on one data dir (the second channel's tryLock meets the first's lock as an
 * OverlappingFileLockException, which reads as "held elsewhere"): election, the write fence, step-down on a
 * failed lock check, epochs, leader-only work, and journal-driven index refresh.
 */
class ReplicaCoordinatorTest {
    @TempDir
    Path root;

    private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();

    /** Records leader-only work calls. */
    static final class RecordingWork implements LeaderOnlyWork {
        final List<String> calls = new CopyOnWriteArrayList<>();

        @Override
        public void startLeading() {
            calls.add("start");
        }

        @Override
        public void stopLeading() {
            calls.add("stop");
        }
    }

    record Replica(ReplicaCoordinator coordinator, StorageEngine engine, RecordingWork work) {
    }

    Replica replica(String name, int port) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("SE_STORAGE_ID", "se-test");
        env.put("SE_DATA_DIR", root.resolve("data").toString());
        env.put("SE_WAL_DIR", root.resolve("wal-" + name).toString());
        env.put("SE_MAX_CAPACITY", String.valueOf(1L << 30));
        env.put("SE_JWKS_URL", "http://127.0.0.1:1/jwks");
        env.put("SE_DEV_INSECURE_HTTP", "true");
        env.put("SE_REPLICA_MODE", "replicated");
        env.put("SE_ELECTION_RETRY_INTERVAL", "50ms");
        env.put("SE_LEADER_HEARTBEAT_INTERVAL", "50ms");
        env.put("SE_ADVERTISED_ADDRESS", "127.0.0.1:" + port); // side by side: peers by host (PeerAddresses)
        SeConfig config = ConfigLoader.load(env);
        Files.createDirectories(config.dataDir());
        ReplicaCoordinator coordinator = ReplicaCoordinator.open(config, Clock.systemUTC());
        StorageEngine engine = StorageEngine.open(config, Clock.systemUTC(), coordinator);
        RecordingWork work = new RecordingWork();
        open.add(0, engine);
        open.add(0, coordinator);
        coordinator.start(engine, work, port);
        return new Replica(coordinator, engine, work);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    static FileMetadata upload(StorageEngine engine, String text) throws Exception {
        try (PendingUpload u = engine.beginUpload("alice", -1)) {
            u.writeContent("f.txt", "text/plain", new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
            return u.commit(null, null, null);
        }
    }

    @Test
    void oneLeaderWritesFollowersFollowAndAFailedLockCheckHandsOverWithANewEpoch() throws Exception {
        Replica a = replica("a", 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> a.coordinator().isLeader());
        Replica b = replica("b", 2);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                .until(() -> a.coordinator().isLeader() && !b.coordinator().isLeader());
        assertThat(a.coordinator().epoch()).isEqualTo(1);
        assertThat(a.work().calls).containsExactly("start");
        assertThat(b.work().calls).isEmpty();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> b.coordinator().leaderAddress().equals(Optional.of("127.0.0.1:1")));

        FileMetadata first = upload(a.engine(), "one");
        await().atMost(Duration.ofSeconds(30)).until(() -> b.engine().find(first.fileId()).isPresent());
        assertThatThrownBy(() -> upload(b.engine(), "refused"))
                .isInstanceOfSatisfying(SeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.LEADER_UNAVAILABLE));

        a.coordinator().breakLockForTest();
        // the very next commit is fenced, before any heartbeat runs
        assertThatThrownBy(() -> upload(a.engine(), "stale"))
                .isInstanceOfSatisfying(SeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.LEADER_UNAVAILABLE));
        assertThatThrownBy(() -> a.engine().transition(Mode.RW, false, "admin"))
                .isInstanceOfSatisfying(SeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.LEADER_UNAVAILABLE));
        await().atMost(Duration.ofSeconds(30)).until(() -> b.coordinator().isLeader() && !a.coordinator().isLeader());
        assertThat(b.coordinator().epoch()).isEqualTo(2);
        assertThat(LeaderInfo.read(root.resolve("data")).orElseThrow())
                .extracting(LeaderInfo::address, LeaderInfo::epoch).containsExactly("127.0.0.1:2", 2L);
        assertThat(a.work().calls).containsExactly("start", "stop");
        assertThat(b.work().calls).containsExactly("start");

        FileMetadata second = upload(b.engine(), "two");
        await().atMost(Duration.ofSeconds(30)).until(() -> a.engine().find(second.fileId()).isPresent());
        assertThat(a.engine().stats().total()).isEqualTo(2);
        try (Stream<Path> files = Files.walk(root.resolve("data"))) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".upload-"));
        }
    }

    @Test
    void aFollowerAdoptsTheModeTheLeaderPersisted() throws Exception {
        Replica a = replica("a", 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> a.coordinator().isLeader());
        Replica b = replica("b", 2);
        assertThat(b.engine().mode()).isEqualTo(Mode.EDIT);
        // as if the leader had persisted a transition (the state machine is not the point here)
        new ModeStore(root.resolve("data")).save(new PersistedMode(Mode.RO, Instant.now(), "admin"));
        await().atMost(Duration.ofSeconds(30)).until(() -> b.engine().mode() == Mode.RO);
    }

    @Test
    void freshLookupFindsAFileAnotherProcessWroteBeforeTheIndexKnowsIt() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("SE_STORAGE_ID", "se-test");
        env.put("SE_DATA_DIR", root.resolve("data").toString());
        env.put("SE_MAX_CAPACITY", String.valueOf(1L << 30));
        env.put("SE_JWKS_URL", "http://127.0.0.1:1/jwks");
        env.put("SE_DEV_INSECURE_HTTP", "true");
        env.put("SE_WAL_DIR", root.resolve("wal-w").toString());
        StorageEngine writer = StorageEngine.open(ConfigLoader.load(env), Clock.systemUTC());
        env.put("SE_WAL_DIR", root.resolve("wal-r").toString());
        StorageEngine reader = StorageEngine.open(ConfigLoader.load(env), Clock.systemUTC());
        open.add(writer);
        open.add(reader);
        FileMetadata written = upload(writer, "fresh");
        assertThat(reader.find(written.fileId())).isEmpty();

        FreshLookup lookup = new FreshLookup(reader);
        assertThat(lookup.find(written.fileId())).contains(written);
        assertThat(reader.find(written.fileId())).as("the miss also fixed the index").contains(written);
        assertThat(lookup.find(UUID.randomUUID())).isEmpty();
    }
}
