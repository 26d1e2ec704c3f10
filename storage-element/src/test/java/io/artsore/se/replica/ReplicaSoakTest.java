package io.artsore.se.replica;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.artsore.se.domain.FileMetadata;
import io.artsore.se.storage.attr.AtomicFiles;
import io.artsore.se.storage.attr.AttrCodec;
import io.artsore.se.testing.TestIssuer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Soak: clients upload concurrently through all three replicas while the leader is SIGKILLed every
 * {@value #KILL_EVERY_SECONDS} s (and restarted, so its recovery runs). Afterwards every acknowledged upload is
 * present and intact, no file on disk is partial, no temp file is left, and every replica's index equals a
 * recount of the disk. Bounded by {@code -Dse.replica.soakSeconds} (default 90).
 */
class ReplicaSoakTest {
    static final long SOAK_SECONDS = Long.getLong("se.replica.soakSeconds", 90);
    static final int KILL_EVERY_SECONDS = 20;
    static final int CLIENTS = 3;
    static final int HTTP_SAMPLE = 100;

    @TempDir
    Path root;

    record Acked(String checksum, long size) {
    }

    @Test
    void acknowledgedUploadsSurviveRepeatedLeaderKillsAndEveryIndexMatchesTheDisk() throws Exception {
        try (TestIssuer issuer = new TestIssuer();
             ReplicaCluster cluster = new ReplicaCluster(root, issuer, Map.of())) {
            ReplicaHttp http = new ReplicaHttp(cluster);
            cluster.startAll(3, ReplicaProcessTests.SMALL_JVM);
            cluster.awaitLeader(Duration.ofSeconds(15));

            Map<UUID, Acked> acked = new ConcurrentHashMap<>();
            AtomicInteger failed = new AtomicInteger();
            AtomicBoolean running = new AtomicBoolean(true);
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                clients.add(Thread.ofVirtual().start(() -> {
                    Random random = new Random(client);
                    for (int i = 0; running.get() && i < 1_000_000; i++) {
                        ReplicaCluster.Replica target = cluster.replicas.get((client + i) % cluster.replicas.size());
                        byte[] content = new byte[1 + random.nextInt(32 * 1024)];
                        random.nextBytes(content);
                        try {
                            HttpResponse<byte[]> res = http.upload(target, "soak-" + client + "-" + i, content);
                            if (res.statusCode() == 201) {
                                acked.put(ReplicaHttp.fileId(res), new Acked(ReplicaHttp.sha256(content), content.length));
                            } else {
                                failed.incrementAndGet();
                            }
                        } catch (Exception e) {
                            failed.incrementAndGet(); // replica down or connection cut: not acknowledged
                        }
                    }
                }));
            }

            long deadline = System.nanoTime() + Duration.ofSeconds(SOAK_SECONDS).toNanos();
            List<Long> failovers = new ArrayList<>();
            while (System.nanoTime() + Duration.ofSeconds(KILL_EVERY_SECONDS).toNanos() < deadline) {
                Thread.sleep(KILL_EVERY_SECONDS * 1000L);
                ReplicaCluster.Replica leader = cluster.awaitLeader(Duration.ofSeconds(10));
                leader.kill9();
                long killedAt = System.nanoTime();
                cluster.awaitLeader(Duration.ofSeconds(10), leader);
                failovers.add((System.nanoTime() - killedAt) / 1_000_000);
                leader.start(); // its WAL recovery rolls back what the kill interrupted
                leader.awaitUp(Duration.ofSeconds(60));
            }
            Thread.sleep(Math.max(0, (deadline - System.nanoTime()) / 1_000_000));
            running.set(false);
            for (Thread t : clients) {
                t.join();
            }
            System.out.println("[soak] clients stopped " + (System.nanoTime() - deadline) / 1_000_000 + " ms after the deadline");
            cluster.awaitLeader(Duration.ofSeconds(10));
            System.out.println("[measure] soak " + SOAK_SECONDS + " s: " + acked.size() + " acknowledged uploads, "
                    + failed.get() + " refused or cut, failovers (ms) " + failovers);
            assertThat(failovers).isNotEmpty();
            assertThat(acked).isNotEmpty();

            long verifyStart = System.nanoTime();
            Map<UUID, FileMetadata> disk = recount(cluster.dataDir);
            System.out.println("[soak] recount " + (System.nanoTime() - verifyStart) / 1_000_000 + " ms");
            for (var e : acked.entrySet()) {
                FileMetadata m = disk.get(e.getKey());
                assertThat(m).as("acknowledged upload %s on disk", e.getKey()).isNotNull();
                assertThat(m.checksum()).isEqualTo(e.getValue().checksum());
                assertThat(m.size()).isEqualTo(e.getValue().size());
            }
            for (FileMetadata m : disk.values()) {
                Path data = cluster.dataDir.resolve(m.storagePath());
                assertThat(Files.size(data)).as("data file of %s complete", m.fileId()).isEqualTo(m.size());
                assertThat(ReplicaHttp.sha256(Files.readAllBytes(data))).isEqualTo(m.checksum());
            }
            assertThat(filesBelow(cluster.dataDir).stream().map(f -> f.getFileName().toString()))
                    .as("no temp files of interrupted writes are left after recovery")
                    .noneMatch(n -> n.startsWith(".upload-")
                            || AtomicFiles.isTempName(n) && !n.contains("leader-info") && !n.contains("mode"));
            System.out.println("[soak] disk checks " + (System.nanoTime() - verifyStart) / 1_000_000 + " ms");
            for (ReplicaCluster.Replica r : cluster.replicas) {
                awaitIndexEquals(http, r, disk.keySet());
            }
            System.out.println("[soak] index checks " + (System.nanoTime() - verifyStart) / 1_000_000 + " ms");
            // every file's bytes were checked on disk above; through HTTP a sample is enough
            List<UUID> sample = new ArrayList<>(acked.keySet());
            Collections.shuffle(sample, new Random(1));
            for (UUID id : sample.subList(0, Math.min(HTTP_SAMPLE, sample.size()))) {
                HttpResponse<byte[]> down = http.download(cluster.replicas.get(Math.floorMod(id.hashCode(), cluster.replicas.size())), id);
                assertThat(down.statusCode()).isEqualTo(200);
                assertThat(ReplicaHttp.sha256(down.body())).isEqualTo(acked.get(id).checksum());
            }
        }
    }

    static Map<UUID, FileMetadata> recount(Path dataDir) throws Exception {
        Map<UUID, FileMetadata> files = new HashMap<>();
        for (Path p : filesBelow(dataDir)) {
            String name = p.getFileName().toString();
            if (name.endsWith(AttrCodec.SUFFIX) && !AtomicFiles.isTempName(name)) {
                FileMetadata m = AttrCodec.read(p, dataDir);
                files.put(m.fileId(), m);
            }
        }
        return files;
    }

    /** The replica's listing equals the recount (it may need a poll or two to catch up on the last changes). */
    static void awaitIndexEquals(ReplicaHttp http, ReplicaCluster.Replica r, Set<UUID> expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        Set<UUID> listed;
        while (true) {
            listed = new TreeSet<>();
            for (long offset = 0; ; ) {
                JsonNode page = http.list(r, 10_000, offset);
                for (JsonNode item : page.path("items")) {
                    listed.add(UUID.fromString(item.path("file_id").asText()));
                }
                offset += page.path("items").size();
                if (!page.path("has_more").asBoolean()) {
                    break;
                }
            }
            if (listed.equals(new TreeSet<>(expected)) || System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(listed).as("index of replica %d equals the recount", r.index)
                .containsExactlyInAnyOrderElementsOf(expected);
    }

    /** Files below {@code dir}; the live leader keeps replacing its own temp files, so vanished ones are skipped. */
    private static List<Path> filesBelow(Path dir) throws java.io.IOException {
        List<Path> names = new ArrayList<>();
        Files.walkFileTree(dir, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult visitFile(Path file, java.nio.file.attribute.BasicFileAttributes attrs) {
                names.add(file);
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFileFailed(Path file, java.io.IOException e) {
                return java.nio.file.FileVisitResult.CONTINUE;
            }
        });
        return names;
    }
}
