package io.artsore.e2e.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Power cuts of a replicated element (issue 18, the replicated mode's shared files): two replicas share one data
 * dir on the power-cut file system ({@link PowerCutFs}), each with its own WAL dir there too; clients upload,
 * patch and delete through both (the follower proxies writes) while the leader's GC purges deleted files every
 * second. At a random moment both processes are killed and the power is cut — the node that holds the volume
 * loses everything no fsync made durable, including the leader file, the leader lock file and the change journal
 * the follower reads. After both restart: exactly one leader is elected, both replicas' listings equal the
 * attr.json files on disk (the follower's through the journal), and the clients' log of acknowledged operations
 * holds ({@link AckedOperations}, the same checks as the standalone power-cut test); every fifth cut
 * reconciliation, sent to the follower (proxied), must find nothing. As there, the checks run with GC off, then
 * both are killed and started with GC on for the next load.
 *
 * <p>{@code -Dse.powercut.replicatedCuts=N} (default 8), {@code -Dse.powercut.seed=S} reproduces.
 */
class PowerCutReplicatedTest {
    static final int CUTS = Integer.getInteger("se.powercut.replicatedCuts", 8);
    static final long SEED = Long.getLong("se.powercut.seed", System.nanoTime());
    private static final Duration ELECTION = Duration.ofSeconds(30);
    /** A follower's index follows the change journal (refresh at most 1 s here); generous for a loaded machine. */
    private static final Duration INDEX_SETTLE = Duration.ofSeconds(15);
    private static final String GC_ON = "1s";
    private static final String GC_OFF = "1h";
    private static final Map<String, String> ENV = Map.of(
            "SE_GC_INTERVAL", GC_ON,
            "SE_GC_GRACE_DELETED", "0s",
            "SE_ELECTION_RETRY_INTERVAL", "200ms",
            "SE_LEADER_HEARTBEAT_INTERVAL", "200ms",
            "SE_INDEX_REFRESH_INTERVAL", "1s",
            "SE_PROXY_CONNECT_TIMEOUT", "2s",
            "SE_PROXY_IDLE_TIMEOUT", "20s");

    @TempDir(cleanup = CleanupMode.ON_SUCCESS) // a failed run keeps its logs and trees
    Path root;

    @Test
    void everyAcknowledgedOperationSurvivesAPowerCutOfBothReplicas() throws Exception {
        Assumptions.assumeTrue(PowerCutFs.enabled(), "-Dse.powercut=off");
        long started = System.nanoTime();
        Outcome o = run(root, CUTS, null, SEED);
        o.log().figures(new Summary("power-cut-replicated").put("cuts", o.cuts()).put("seed", SEED)
                        .put("replicas", 2))
                .put("reconciles_clean", o.reconcilesClean())
                .put("seconds", (System.nanoTime() - started) / 1_000_000_000L).print();
        assertThat(o.log().failures()).isEmpty();
        assertThat(o.cuts()).isEqualTo(CUTS);
        assertThat(o.log().ackedUploads()).as("the load must really write").isGreaterThan(CUTS);
    }

    /** What a run did: cuts survived (all of them, or up to the first failure) and the clients' log. */
    record Outcome(int cuts, AckedOperations log, long reconcilesClean) {
    }

    /**
     * Runs up to {@code cuts} load-then-cut cycles of two replicas on a fresh power-cut file system below
     * {@code root}, stopping at the first cycle with a failure. {@code skipFsync} names one fsync both replicas
     * skip (the mutation switch, {@code se.crashpoint.skipFsync}), null for none.
     */
    static Outcome run(Path root, int cuts, String skipFsync, long seed) throws Exception {
        AckedOperations log = new AckedOperations(true).deletedMayBePurged();
        Random schedule = new Random(seed);
        int done = 0;
        long reconcilesClean = 0;
        List<SeChild> replicas = new ArrayList<>();
        List<ReplicaNode> nodes = new ArrayList<>();
        try (TokenForge forge = new TokenForge(); PowerCutFs fs = PowerCutFs.mount(root)) {
            try {
                for (String name : List.of("replica-0", "replica-1")) {
                    SeChild replica = SeChild.replicaOnStorage(fs.root(), root.resolve(name + ".log"), name, forge,
                            ENV);
                    if (skipFsync != null) {
                        replica.jvmArg("-Dse.crashpoint.skipFsync=" + skipFsync);
                    }
                    replicas.add(replica);
                    nodes.add(new ReplicaNode(name, replica, new SeClient(replica.url(), Duration.ofSeconds(20))));
                }
                List<SeClient> clients = nodes.stream().map(ReplicaNode::client).toList();
                startAll(replicas, GC_ON);
                for (int cut = 0; cut < cuts && log.failures().isEmpty(); cut++) {
                    // fresh tokens every cut: they live an hour, a long run lasts longer
                    String writeToken = forge.token("powercut-writer", "files:read", "files:write");
                    String adminToken = forge.token("powercut-admin", "files:read", "storage:write");
                    ReplicaNode.awaitSoleLeader(nodes, null, ELECTION); // writes need a leader to land anywhere
                    log.runLoadUntil(() -> {
                        for (SeChild r : replicas) { // first: nothing may write between the cut and the restart
                            r.kill();
                        }
                        fs.cut();
                    }, clients, writeToken, cut, schedule);
                    try {
                        startAll(replicas, GC_OFF);
                    } catch (IllegalStateException e) { // recovery refuses to start
                        log.failures().add("replica does not start after the cut: " + e.getMessage());
                        done++;
                        break;
                    }
                    try {
                        ReplicaNode leader = ReplicaNode.awaitSoleLeader(nodes, null, ELECTION);
                        DiskState disk = DiskState.scan(fs.root().resolve("data"),
                                replicas.stream().map(SeChild::walDir).toArray(Path[]::new));
                        log.checkDisk(disk);
                        for (ReplicaNode n : nodes) {
                            log.checkIndexEqualsRecount(n.name(), n.client(), writeToken, disk, INDEX_SETTLE);
                        }
                        log.checkLog(clients.get(cut % 2), writeToken, disk, schedule);
                        if (cut % 5 == 4 && log.failures().isEmpty()) {
                            ReplicaNode follower = nodes.get(1 - nodes.indexOf(leader));
                            reconcilesClean += log.reconcileFindsNothing(follower.client(), adminToken,
                                    leader.process()) ? 1 : 0;
                        }
                    } catch (Exception | AssertionError e) { // e.g. no leader elected: a finding of this cut
                        log.failures().add("check after the cut failed: " + e + "\n" + replicas.get(0).logTail());
                    }
                    done++;
                    for (SeChild r : replicas) { // a plain crash, no cut: the next load runs with GC on
                        r.kill();
                    }
                    startAll(replicas, GC_ON);
                }
                if (log.failures().isEmpty()) {
                    log.verifyAllDownloads(clients.get(0), forge.token("powercut-writer", "files:read",
                            "files:write"));
                }
            } finally {
                for (SeChild r : replicas) {
                    r.close();
                }
            }
        }
        return new Outcome(done, log, reconcilesClean);
    }

    private static void startAll(List<SeChild> replicas, String gcInterval) throws Exception {
        for (SeChild r : replicas) {
            r.env("SE_GC_INTERVAL", gcInterval).start();
        }
    }
}
