package io.artsore.e2e.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rolling upgrade under load (issue 15, item 3): three replica processes (one shared data dir, a WAL dir each)
 * behind a {@link ReadyRouter} that, like a Service, sends requests only to ready replicas. While clients upload,
 * patch, delete ({@link AckedOperations}) and list and download (a reader), each replica is restarted in the
 * operator's order - followers first, the leader last - the way a pod is replaced: taken out of the endpoints,
 * SIGTERM, wait for the exit, start again (the same jar stands in for the new image), wait until it is routed to
 * again, next. Afterwards every acknowledged operation must be in place and every acknowledged upload
 * byte-identical ({@link AckedOperations}), and every failed request a client saw must have been a 503 with
 * Retry-After (one a client retries): no other 5xx, no cut connection.
 *
 * <p>{@code -Dse.soak.seed=S} reproduces a schedule.
 */
class RollingUpgradeUnderLoadTest {
    private static final long SEED = Long.getLong("se.soak.seed", System.nanoTime());
    private static final Duration ELECTION = Duration.ofSeconds(30);
    private static final Duration READY = Duration.ofSeconds(60);
    private static final Duration INDEX_SETTLE = Duration.ofSeconds(15);

    @TempDir
    Path root;

    @Test
    void rollingRestartFollowersFirstLosesNoAcknowledgedFileAndOnlyRetryableRequests() throws Exception {
        AckedOperations log = new AckedOperations(true).retriesUnavailable();
        Random schedule = new Random(SEED);
        List<ReplicaNode> nodes = new ArrayList<>();
        List<String> order = new ArrayList<>();
        List<Integer> exitCodes = new ArrayList<>();
        List<String> readerFailures = Collections.synchronizedList(new ArrayList<>());
        AtomicLong reads = new AtomicLong();
        long started = System.nanoTime();
        ReadyRouter router = null;
        try (TokenForge forge = new TokenForge()) {
            String token = forge.token("rolling-writer", "files:read", "files:write");
            for (String name : List.of("replica-0", "replica-1", "replica-2")) {
                SeChild child = SeChild.replica(root, name, forge, ReplicatedCrashUnderLoadTest.ENV);
                nodes.add(new ReplicaNode(name, child, new SeClient(child.url(), Duration.ofSeconds(20))));
            }
            for (ReplicaNode n : nodes) {
                n.process().start();
            }
            router = new ReadyRouter(nodes.stream().map(n -> n.process().url()).toList());
            for (ReplicaNode n : nodes) {
                router.awaitRouted(n.process().url(), READY);
            }
            ReplicaNode leader = ReplicaNode.awaitSoleLeader(nodes, null, ELECTION);
            List<ReplicaNode> rollout = new ArrayList<>(nodes.stream().filter(n -> n != leader)
                    .sorted(Comparator.comparing(ReplicaNode::name).reversed()).toList());
            rollout.add(leader);
            SeClient viaRouter = new SeClient(router.url(), Duration.ofSeconds(20));
            AtomicBoolean stopReader = new AtomicBoolean();
            Thread reader = Thread.ofPlatform().name("reader").start(
                    () -> read(viaRouter, token, new Random(SEED), stopReader, reads, readerFailures));
            try {
                for (int cycle = 0; cycle < rollout.size(); cycle++) {
                    ReplicaNode node = rollout.get(cycle);
                    ReadyRouter r = router;
                    log.runLoadUntil(() -> exitCodes.add(replace(node, r)), List.of(viaRouter), token, cycle,
                            schedule);
                    order.add(node.name() + (node == leader ? " (leader)" : ""));
                    DiskState disk = DiskState.scan(root.resolve("data"),
                            nodes.stream().map(n -> n.process().walDir()).toArray(Path[]::new));
                    log.checkDisk(disk);
                    for (ReplicaNode n : nodes) {
                        log.checkIndexEqualsRecount(n.name(), n.client(), token, disk, INDEX_SETTLE);
                    }
                    log.checkLog(viaRouter, token, disk, schedule);
                }
            } finally {
                stopReader.set(true);
                reader.join(Duration.ofSeconds(30));
            }
            if (log.failures().isEmpty()) {
                log.verifyAllDownloads(viaRouter, token);
            }
        } finally {
            if (router != null) {
                router.close();
            }
            for (ReplicaNode n : nodes) {
                n.process().close();
            }
            Summary summary = new Summary("rolling-upgrade-under-load").put("seed", SEED)
                    .put("replicas", nodes.size()).put("order", String.join(",", order).replace(" ", ""))
                    .put("exit_codes", exitCodes);
            if (router != null) {
                summary.put("requests", router.requests()).put("by_status", router.byStatus().toString()
                                .replace(" ", "")).put("failed", router.failed())
                        .put("failed_retryable_503", router.retryableFailures());
            }
            log.figures(summary.put("reads", reads.get()).put("reader_failures", readerFailures.size()))
                    .put("seconds", (System.nanoTime() - started) / 1_000_000_000L).print();
        }
        assertThat(log.failures()).isEmpty();
        assertThat(readerFailures).isEmpty();
        assertThat(exitCodes).as("each replica stopped by its own graceful shutdown").containsOnly(143);
        assertThat(router.failed()).as("every failure a 503 with Retry-After: " + router.byStatus())
                .isEqualTo(router.retryableFailures());
        assertThat(log.ackedUploads()).as("the load must really write").isGreaterThan(30);
    }

    /** A pod replaced by its controller: out of the endpoints, SIGTERM, exit, start, ready, back in. */
    private static int replace(ReplicaNode node, ReadyRouter router) throws Exception {
        String url = node.process().url();
        router.remove(url);
        int exit = node.process().terminate(Duration.ofSeconds(30));
        node.process().start();
        router.add(url);
        router.awaitRouted(url, READY);
        return exit;
    }

    private static boolean retryable(HttpResponse<byte[]> r) {
        return r.statusCode() == 503 && r.headers().firstValue("Retry-After").isPresent();
    }

    /** Lists a page and downloads one active file of it, until stopped; a 404 is a file deleted meanwhile. */
    private static void read(SeClient client, String token, Random random, AtomicBoolean stop, AtomicLong reads,
                             List<String> failures) {
        while (!stop.get()) {
            try {
                HttpResponse<byte[]> page = client.get("/api/v1/files?limit=50&offset=0", token);
                reads.incrementAndGet();
                if (retryable(page)) {
                    continue;
                }
                if (page.statusCode() != 200) {
                    failures.add("list answered " + page.statusCode() + ": " + SeClient.text(page));
                    continue;
                }
                List<JsonNode> active = new ArrayList<>();
                SeClient.json(page).get("items").forEach(i -> {
                    if ("active".equals(i.get("status").asText())) {
                        active.add(i);
                    }
                });
                if (active.isEmpty()) {
                    Thread.sleep(20);
                    continue;
                }
                JsonNode file = active.get(random.nextInt(active.size()));
                HttpResponse<byte[]> download = client.get("/api/v1/files/" + file.get("file_id").asText()
                        + "/download", token);
                reads.incrementAndGet();
                if (download.statusCode() == 200) {
                    if (!file.get("checksum").asText().equals(SeClient.sha256(download.body()))) {
                        failures.add("download of " + file.get("file_id").asText() + " differs from its checksum");
                    }
                } else if (download.statusCode() != 404 && !retryable(download)) {
                    failures.add("download answered " + download.statusCode() + ": " + SeClient.text(download));
                }
            } catch (Exception e) {
                failures.add("read failed: " + e);
            }
        }
    }
}
