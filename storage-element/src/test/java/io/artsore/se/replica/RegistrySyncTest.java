package io.artsore.se.replica;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.artsore.se.testing.LargeStore;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The Admin Module's registry sync (docs/contract.md §8): full syncs paging with {@code offset += len(items)}, in
 * pages of 50 and of 10,000, while uploads, soft deletes, GC purges (every second, no grace), reconciliations and a restart
 * of the follower (or of the standalone element) happen. Pages go to the replicas in turn, as a Kubernetes Service
 * balances them. Every file that existed for a whole sync must be seen, and none of them twice. (A file uploaded
 * while the sync ran may be seen twice across replicas, as the README documents: a follower can index it a moment
 * before an older new file. The figure line counts such repeats.)
 */
class RegistrySyncTest extends ReplicaProcessTests {
    private static final int SEED_FILES = 3000;
    private static final int SYNCS = 20;
    /** Syncs during which the follower (standalone: the element) is killed and started again. */
    private static final Set<Integer> RESTART_DURING_SYNC = Set.of(4, 13);
    /** A follower lists an upload once it has read the journal (SE_INDEX_REFRESH_INTERVAL 1s). */
    private static final long VISIBLE_AFTER_MILLIS = 3000;
    private static final Duration PAGE_DEADLINE = Duration.ofSeconds(90);
    private static final long PAGE_PAUSE_MILLIS = 15;

    @Test
    void standaloneElement() throws Exception {
        run("standalone", 1, Map.of("SE_REPLICA_MODE", "standalone"));
    }

    @Test
    void replicatedPairThroughAlternatingReplicas() throws Exception {
        run("replicated", 2, Map.of());
    }

    private void run(String name, int replicas, Map<String, String> env) throws Exception {
        List<UUID> seeds = LargeStore.generate(root.resolve("data"), SEED_FILES);
        Map<String, String> all = new HashMap<>(Map.of("SE_GC_INTERVAL", "1s", "SE_GC_GRACE_DELETED", "0s"));
        all.putAll(env);
        cluster(all).startAll(replicas, SMALL_JVM);
        ReplicaCluster.Replica restarted = replicas == 1 ? cluster.replicas.get(0)
                : cluster.followers(cluster.awaitLeader(Duration.ofSeconds(30))).get(0);

        Churn churn = new Churn(seeds);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        Future<?> churning = pool.submit(churn);
        int missed = 0;
        int repeats = 0;
        int pages = 0;
        try {
            for (int sync = 0; sync < SYNCS; sync++) {
                int limit = sync % 2 == 0 ? 50 : 10_000;
                long startedAt = System.currentTimeMillis();
                Set<UUID> existedAtStart = churn.liveSince(startedAt - VISIBLE_AFTER_MILLIS);
                List<UUID> seen = new ArrayList<>();
                long offset = 0;
                for (int page = 0; ; page++) {
                    if (RESTART_DURING_SYNC.contains(sync) && page == 10) {
                        restarted.kill9();
                        restarted.start();
                    }
                    JsonNode body = page(page, limit, offset);
                    JsonNode items = body.path("items");
                    if (items.isEmpty()) {
                        break;
                    }
                    items.forEach(m -> seen.add(UUID.fromString(m.path("file_id").asText())));
                    offset += items.size();
                    pages++;
                    Thread.sleep(PAGE_PAUSE_MILLIS); // a sync spans several GC runs, as a real one over many files

                }
                Set<UUID> required = new HashSet<>(existedAtStart);
                required.removeAll(churn.deletedSince(startedAt - VISIBLE_AFTER_MILLIS));
                Set<UUID> distinct = new HashSet<>();
                Set<UUID> twice = new HashSet<>();
                seen.forEach(id -> (distinct.add(id) ? distinct : twice).add(id));
                repeats += twice.size();
                Set<UUID> notSeen = new HashSet<>(required);
                notSeen.removeAll(distinct);
                missed += notSeen.size();
                assertThat(notSeen).as("sync %d (pages of %d): files that existed throughout but were not listed",
                        sync, limit).isEmpty();
                twice.retainAll(existedAtStart);
                assertThat(twice).as("sync %d: files older than the sync listed twice", sync).isEmpty();
            }
        } finally {
            churn.stop.set(true);
            churning.get(60, TimeUnit.SECONDS);
            pool.shutdownNow();
        }
        assertThat(churn.deletes.get()).as("files deleted (and purged by GC) during the syncs").isGreaterThan(100);
        System.out.println("RELIABILITY registry-sync-" + name + ": syncs=" + SYNCS + " pages=" + pages
                + " seed_files=" + SEED_FILES + " uploads=" + churn.uploads.get() + " deletes=" + churn.deletes.get()
                + " reconciles=" + churn.reconciles.get() + " restarts=" + RESTART_DURING_SYNC.size()
                + " missed=" + missed + " repeats=" + repeats);
    }

    /** Page {@code n} from the replicas in turn; a replica that does not answer is skipped, as a Service would. */
    private JsonNode page(int n, int limit, long offset) throws Exception {
        long deadline = System.nanoTime() + PAGE_DEADLINE.toNanos();
        List<ReplicaCluster.Replica> replicas = cluster.replicas;
        for (int attempt = 0; ; attempt++) {
            ReplicaCluster.Replica r = replicas.get((n + attempt) % replicas.size());
            try {
                return http.list(r, limit, offset);
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no replica answered page " + n + " within " + PAGE_DEADLINE, e);
                }
                Thread.sleep(50);
            }
        }
    }

    /**
     * Uploads a new file and soft-deletes the two oldest live ones (GC purges them within a second), and runs a
     * reconciliation every 40 rounds, through the replicas in turn. A file counts as deleted from the moment its
     * delete is sent, so a sync never requires a file whose delete may already have happened.
     */
    private final class Churn implements Runnable {
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicInteger uploads = new AtomicInteger();
        final AtomicInteger deletes = new AtomicInteger();
        final AtomicInteger reconciles = new AtomicInteger();
        private final ConcurrentLinkedDeque<UUID> oldestFirst;
        private final Map<UUID, Long> liveSince = new ConcurrentHashMap<>();
        private final Map<UUID, Long> deletedAt = new ConcurrentHashMap<>();

        Churn(List<UUID> seeds) {
            oldestFirst = new ConcurrentLinkedDeque<>(seeds);
            seeds.forEach(id -> liveSince.put(id, 0L));
        }

        Set<UUID> liveSince(long before) {
            Set<UUID> live = new HashSet<>();
            liveSince.forEach((id, since) -> {
                if (since <= before) {
                    live.add(id);
                }
            });
            return live;
        }

        Set<UUID> deletedSince(long since) {
            Set<UUID> deleted = new HashSet<>();
            deletedAt.forEach((id, at) -> {
                if (at >= since) {
                    deleted.add(id);
                }
            });
            return deleted;
        }

        @Override
        public void run() {
            for (int round = 0; !stop.get(); round++) {
                ReplicaCluster.Replica r = cluster.replicas.get(round % cluster.replicas.size());
                try {
                    upload(r, round);
                    deleteOldest(r);
                    deleteOldest(r);
                    if (round % 40 == 39) {
                        reconcile(r);
                    }
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                } catch (IOException e) {
                    pauseWhileRestarting(); // the next round goes to the other replica, if there is one
                }
            }
        }

        private void pauseWhileRestarting() {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void upload(ReplicaCluster.Replica r, int round) throws IOException, InterruptedException {
            HttpResponse<byte[]> res = http.upload(r, "churn-" + round + ".bin",
                    ("round " + round).getBytes(StandardCharsets.UTF_8));
            if (res.statusCode() == 201) {
                UUID id = ReplicaHttp.fileId(res);
                oldestFirst.addLast(id);
                liveSince.put(id, System.currentTimeMillis());
                uploads.incrementAndGet();
            }
        }

        private void deleteOldest(ReplicaCluster.Replica r) throws IOException, InterruptedException {
            UUID oldest = oldestFirst.pollFirst();
            if (oldest == null) {
                return;
            }
            liveSince.remove(oldest);
            deletedAt.put(oldest, System.currentTimeMillis());
            int status = http.delete(r, oldest).statusCode();
            if (status == 204 || status == 200) {
                deletes.incrementAndGet();
            }
        }

        private void reconcile(ReplicaCluster.Replica r) throws IOException, InterruptedException {
            HttpResponse<String> res = cluster.http.send(HttpRequest.newBuilder(r.uri("/api/v1/maintenance/reconcile"))
                    .header("Authorization", "Bearer " + cluster.token("storage:write"))
                    .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (res.statusCode() / 100 == 2) {
                reconciles.incrementAndGet();
            }
        }
    }
}
