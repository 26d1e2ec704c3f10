package io.artsore.se.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.artsore.se.storage.CrashPoints;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Security review H3 with real processes: the leader dies between making an update's attr.json durable and
 * settling its WAL record (crash point {@code update.attr-durable}); the follower is promoted and adopts that
 * write. The old leader's WAL is private, so its recovery at restart runs while the new leader serves. It must
 * neither undo a later acknowledged write of the new leader nor take back the adopted one others already read.
 */
class AdoptedWriteRecoveryTest extends ReplicaProcessTests {
    private static final Duration UP = Duration.ofSeconds(60);
    private static final Duration SETTLE = Duration.ofSeconds(15);

    private ReplicaCluster.Replica oldLeader;
    private ReplicaCluster.Replica newLeader;

    /** Replica 0 leads and dies at the crash point while patching a file to "interrupted"; replica 1 takes over. */
    private UUID interruptedPatchAdoptedByTheNewLeader() throws Exception {
        cluster(Map.of());
        List<String> crashing = new ArrayList<>(SMALL_JVM);
        crashing.add("-Dse.crashpoint=update.attr-durable");
        oldLeader = cluster.add(crashing);
        oldLeader.start();
        oldLeader.awaitUp(UP);
        assertThat(cluster.awaitLeader(SETTLE)).isSameAs(oldLeader);
        ReplicaCluster.Replica follower = cluster.add(SMALL_JVM);
        follower.start();
        follower.awaitUp(UP);

        var uploaded = http.upload(oldLeader, "h3.txt", "adopted".getBytes(StandardCharsets.UTF_8));
        assertThat(uploaded.statusCode()).isEqualTo(201);
        UUID id = ReplicaHttp.fileId(uploaded);
        assertThatThrownBy(() -> http.patch(oldLeader, id, "{\"description\":\"interrupted\"}"))
                .isInstanceOf(IOException.class);
        assertThat(oldLeader.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(oldLeader.process.exitValue()).isEqualTo(CrashPoints.EXIT_STATUS);
        assertThat(walRecords(oldLeader)).as("the update is pending in the dead leader's WAL").hasSize(1);

        newLeader = cluster.awaitLeader(SETTLE, oldLeader);
        assertThat(description(newLeader, id)).as("the new leader adopts the durable attr.json")
                .isEqualTo("interrupted");
        return id;
    }

    @Test
    void theOldLeadersRecoveryNeverUndoesAWriteTheNewLeaderAcknowledged() throws Exception {
        UUID id = interruptedPatchAdoptedByTheNewLeader();
        assertThat(http.patch(newLeader, id, "{\"description\":\"acknowledged later\"}").statusCode()).isEqualTo(200);

        restartOldLeaderAsFollower();
        assertThat(descriptionOnDisk(id)).isEqualTo("acknowledged later");
        awaitDescriptionEverywhere(id, "acknowledged later");
    }

    @Test
    void theOldLeadersRecoveryKeepsTheAdoptedWriteReadersAlreadySaw() throws Exception {
        UUID id = interruptedPatchAdoptedByTheNewLeader();

        restartOldLeaderAsFollower();
        assertThat(descriptionOnDisk(id)).isEqualTo("interrupted");
        awaitDescriptionEverywhere(id, "interrupted");
    }

    private void restartOldLeaderAsFollower() throws Exception {
        oldLeader.start();
        oldLeader.awaitUp(UP);
        assertThat(oldLeader.role()).isEqualTo("follower");
        assertThat(walRecords(oldLeader)).as("recovery settled the record").isEmpty();
    }

    /** Both replicas answer {@code expected}, within the time a follower needs to read the change journal. */
    private void awaitDescriptionEverywhere(UUID id, String expected) throws Exception {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        for (ReplicaCluster.Replica r : List.of(newLeader, oldLeader)) {
            while (!expected.equals(description(r, id)) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(description(r, id)).as("replica %d", r.index).isEqualTo(expected);
        }
        Thread.sleep(1500); // a resync a restarted replica asks for must not change it afterwards either
        for (ReplicaCluster.Replica r : List.of(newLeader, oldLeader)) {
            assertThat(description(r, id)).as("replica %d, later", r.index).isEqualTo(expected);
        }
    }

    private String description(ReplicaCluster.Replica r, UUID id) throws Exception {
        var res = http.metadata(r, id);
        assertThat(res.statusCode()).isEqualTo(200);
        return ReplicaHttp.json(res).path("description").asText(null);
    }

    private String descriptionOnDisk(UUID id) throws IOException {
        try (Stream<Path> files = Files.walk(root.resolve("data"))) {
            Path attr = files.filter(p -> p.getFileName().toString().endsWith(id + ".txt.attr.json")).findFirst()
                    .orElseThrow();
            return ReplicaHttp.JSON.readTree(attr.toFile()).path("description").asText(null);
        }
    }

    private List<Path> walRecords(ReplicaCluster.Replica r) throws IOException {
        try (Stream<Path> files = Files.list(root.resolve("wal-" + r.index))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".wal.json")).toList();
        }
    }
}
