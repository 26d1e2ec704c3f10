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
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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

    /**
     * Security review L11: a new leader used to resync its whole index on the control thread before leading,
     * with heartbeats stuck behind it. Now it leads and heartbeats while the resync (held back here) runs, and
     * the index afterwards is the disk's: the predecessor's unannounced write and the writes made meanwhile.
     */
    @Test
    void aNewLeaderLeadsAndHeartbeatsWhileItsResyncRunsAndEndsWithTheDisksIndex() throws Exception {
        Path data = root.resolve("data");
        Replica a = replica("a", 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> a.coordinator().isLeader());
        Replica b = replica("b", 2);
        CountDownLatch resyncing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        b.coordinator().resyncWith(engine -> {
            resyncing.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("closed while held back");
            }
            return engine.resyncIndexFromDisk();
        });
        // committed by a leader that died before announcing it (an engine without the coordinator announces nothing)
        FileMetadata unannounced;
        try (StorageEngine predecessor = StorageEngine.open(ConfigLoader.load(standaloneEnv("wal-p")),
                Clock.systemUTC())) {
            unannounced = upload(predecessor, "unannounced");
        }

        a.coordinator().breakLockForTest();
        await().atMost(Duration.ofSeconds(30)).until(() -> b.coordinator().isLeader());
        assertThat(resyncing.await(30, TimeUnit.SECONDS)).isTrue();
        long beat = LeaderInfo.read(data).orElseThrow().heartbeatMillis();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> LeaderInfo.read(data).orElseThrow().heartbeatMillis() > beat);
        FileMetadata during = upload(b.engine(), "during the resync");
        assertThat(b.engine().find(unannounced.fileId())).as("not adopted yet").isEmpty();

        release.countDown();
        await().atMost(Duration.ofSeconds(30)).until(() -> b.engine().find(unannounced.fileId()).isPresent());
        assertThat(b.engine().find(during.fileId())).isPresent();
        try (StorageEngine recount = StorageEngine.open(ConfigLoader.load(standaloneEnv("wal-r")),
                Clock.systemUTC())) {
            assertThat(b.engine().list(null, 0, 100).items())
                    .containsExactlyElementsOf(recount.list(null, 0, 100).items());
        }
        await("announced to the followers").atMost(Duration.ofSeconds(30))
                .until(() -> a.engine().find(unannounced.fileId()).isPresent());
    }

    private Map<String, String> standaloneEnv(String walName) {
        Map<String, String> env = new HashMap<>();
        env.put("SE_STORAGE_ID", "se-test");
        env.put("SE_DATA_DIR", root.resolve("data").toString());
        env.put("SE_MAX_CAPACITY", String.valueOf(1L << 30));
        env.put("SE_JWKS_URL", "http://127.0.0.1:1/jwks");
        env.put("SE_DEV_INSECURE_HTTP", "true");
        env.put("SE_WAL_DIR", root.resolve(walName).toString());
        return env;
    }

    /** What the leader acknowledged, a follower finds on its very next lookup, from the journal (L4). */
    @Test
    void freshLookupOnAFollowerFindsWhatTheLeaderJustWrote() throws Exception {
        Replica a = replica("a", 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> a.coordinator().isLeader());
        Replica b = replica("b", 2);
        FreshLookup lookup = new FreshLookup(b.engine(), b.coordinator()::catchUpOnMiss);
        for (int i = 0; i < 20; i++) {
            FileMetadata written = upload(a.engine(), "fresh " + i);
            assertThat(lookup.find(written.fileId())).contains(written);
        }
        assertThat(lookup.find(UUID.randomUUID())).isEmpty();
    }

    /**
     * Misses that arrive while a journal poll runs share the next one instead of queueing a poll each. Holding the
     * coordinator's lock stands in for a long poll; every miss has read the poll count before it blocks.
     */
    @Test
    void missesWaitingForAJournalPollShareOne() throws Exception {
        Replica a = replica("a", 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> a.coordinator().isLeader());
        ReplicaCoordinator b = replica("b", 2).coordinator();
        int misses = 32;
        List<Thread> waiting = new ArrayList<>();
        long before;
        synchronized (b) {
            before = b.journalPolls();
            for (int i = 0; i < misses; i++) {
                Thread t = Thread.ofPlatform().start(() -> {
                    try {
                        b.catchUpOnMiss();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                waiting.add(t);
            }
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> waiting.stream().allMatch(t -> t.getState() == Thread.State.BLOCKED));
        }
        for (Thread t : waiting) {
            t.join();
        }
        // one poll serves all of them; the follower's own refresh may add one or two in the meantime
        assertThat(b.journalPolls() - before).isLessThan(misses);
    }
}
