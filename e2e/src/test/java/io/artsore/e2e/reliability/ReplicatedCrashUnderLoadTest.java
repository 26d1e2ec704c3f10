package io.artsore.e2e.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash under load, replicated (issue 9, item 1, "kill the leader"): two replica processes share one data dir,
 * each with its own WAL dir; clients upload, patch and delete through both (the follower proxies writes to the
 * leader) while the current leader is killed with SIGKILL at a random moment. The survivor must take over, the
 * killed one is restarted (its WAL recovery rolls back what the kill interrupted) and rejoins as follower; then
 * the clients' log of acknowledged operations is checked exactly as in the standalone test
 * ({@link AckedOperations}), the WAL dirs of both replicas must be empty, and each replica's listing must equal
 * the attr.json files on disk once it has caught up. Every fifth cycle reconciliation, sent to the follower
 * (proxied), must find no issue.
 *
 * <p>{@code -Dse.soak.replicatedCycles=N} (default 15) for a long run; {@code -Dse.soak.seed=S} reproduces.
 */
class ReplicatedCrashUnderLoadTest {
    private static final int CYCLES = Integer.getInteger("se.soak.replicatedCycles", 15);
    private static final long SEED = Long.getLong("se.soak.seed", System.nanoTime());
    /** A follower's index follows the change journal (refresh at most 1 s here); generous for a loaded machine. */
    private static final Duration INDEX_SETTLE = Duration.ofSeconds(15);
    private static final Duration ELECTION = Duration.ofSeconds(30);
    static final Map<String, String> ENV = Map.of(
            "SE_GC_INTERVAL", "1h",
            "SE_ELECTION_RETRY_INTERVAL", "200ms",
            "SE_LEADER_HEARTBEAT_INTERVAL", "200ms",
            "SE_INDEX_REFRESH_INTERVAL", "1s",
            "SE_PROXY_CONNECT_TIMEOUT", "2s",
            "SE_PROXY_IDLE_TIMEOUT", "20s");

    @TempDir
    Path root;

    @Test
    void everyAcknowledgedOperationSurvivesKillingTheLeader() throws Exception {
        AckedOperations log = new AckedOperations(true);
        Random schedule = new Random(SEED);
        int cycles = 0;
        List<Long> failoverMillis = new ArrayList<>();
        long restartMillis = 0;
        long reconcilesClean = 0;
        List<ReplicaNode> nodes = new ArrayList<>();
        try (TokenForge forge = new TokenForge()) {
            String writeToken = forge.token("crash-writer", "files:read", "files:write");
            String adminToken = forge.token("crash-admin", "files:read", "storage:write");
            for (String name : List.of("replica-0", "replica-1")) {
                SeChild child = SeChild.replica(root, name, forge, ENV);
                nodes.add(new ReplicaNode(name, child, new SeClient(child.url(), Duration.ofSeconds(20))));
            }
            for (ReplicaNode n : nodes) {
                n.process().start();
            }
            List<SeClient> targets = nodes.stream().map(ReplicaNode::client).toList();
            for (int cycle = 0; cycle < CYCLES && log.failures().isEmpty(); cycle++) {
                ReplicaNode leader = ReplicaNode.awaitSoleLeader(nodes, null, ELECTION);
                log.runLoadUntil(leader.process()::kill, targets, writeToken, cycle, schedule);
                long killedAt = System.nanoTime();
                ReplicaNode survivor = ReplicaNode.awaitSoleLeader(nodes, leader, ELECTION);
                failoverMillis.add((System.nanoTime() - killedAt) / 1_000_000);
                long restart = System.nanoTime();
                leader.process().start();
                restartMillis += (System.nanoTime() - restart) / 1_000_000;

                DiskState disk = DiskState.scan(root.resolve("data"),
                        nodes.stream().map(n -> n.process().walDir()).toArray(Path[]::new));
                log.checkDisk(disk);
                for (ReplicaNode n : nodes) { // first let both indexes catch up with the journal
                    log.checkIndexEqualsRecount(n.name(), n.client(), writeToken, disk, INDEX_SETTLE);
                }
                log.checkLog(cycle % 2 == 0 ? survivor.client() : leader.client(), writeToken, disk, schedule);
                if (cycle % 5 == 4) {
                    reconcilesClean += log.reconcileFindsNothing(leader.client(), adminToken, survivor.process())
                            ? 1 : 0;
                }
                cycles++;
            }
            if (log.failures().isEmpty()) {
                log.verifyAllDownloads(nodes.get(cycles % 2).client(), writeToken);
            }
        } finally {
            for (ReplicaNode n : nodes) {
                n.process().close();
            }
            log.figures(new Summary("replicated-crash-under-load").put("cycles", cycles).put("seed", SEED)
                            .put("replicas", nodes.size()))
                    .put("failover_ms_max", failoverMillis.stream().mapToLong(Long::longValue).max().orElse(0))
                    .put("failover_ms_avg", (long) failoverMillis.stream().mapToLong(Long::longValue).average().orElse(0))
                    .put("avg_restart_ms", cycles == 0 ? 0 : restartMillis / cycles)
                    .put("reconciles_clean", reconcilesClean).print();
        }
        assertThat(log.failures()).isEmpty();
        assertThat(cycles).isEqualTo(CYCLES);
        assertThat(log.ackedUploads()).as("the load must really write").isGreaterThan(CYCLES);
    }
}
