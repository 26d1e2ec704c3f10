package io.artsore.se.replica;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.artsore.se.testing.ListenPorts;
import io.artsore.se.testing.TestIssuer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Replicas as real child JVMs ({@code io.artsore.se.server.Main}) sharing one data dir below a temp root, each
 * with its own WAL dir and port on 127.0.0.1, plain HTTP (dev opt-in) and short replication intervals. Output
 * goes to {@code root/logs/replica-N.log}. Tests kill them with SIGKILL or SIGTERM and restart them.
 */
final class ReplicaCluster implements AutoCloseable {
    static final Duration ELECTION_RETRY = Duration.ofMillis(200);
    static final Duration HEARTBEAT = Duration.ofMillis(200);
    private static final ObjectMapper JSON = new ObjectMapper();

    final Path root;
    final Path dataDir;
    private final TestIssuer issuer;
    private final Map<String, String> extraEnv;
    final List<Replica> replicas = new ArrayList<>();
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    ReplicaCluster(Path root, TestIssuer issuer, Map<String, String> extraEnv) {
        this.root = root;
        this.dataDir = root.resolve("data");
        this.issuer = issuer;
        this.extraEnv = extraEnv;
    }

    final class Replica {
        final int index;
        final int port;
        final List<String> jvmArgs;
        Process process;

        Replica(int index, int port, List<String> jvmArgs) {
            this.index = index;
            this.port = port;
            this.jvmArgs = jvmArgs;
        }

        String address() {
            return "127.0.0.1:" + port;
        }

        URI uri(String pathAndQuery) {
            return URI.create("http://" + address() + pathAndQuery);
        }

        boolean alive() {
            return process != null && process.isAlive();
        }

        void start() throws IOException {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:+UseSerialGC", "-Xshare:auto"));
            cmd.addAll(jvmArgs);
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.artsore.se.server.Main"));
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.environment().putAll(env());
            Path log = root.resolve("logs").resolve("replica-" + index + ".log");
            Files.createDirectories(log.getParent());
            pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            process = pb.start();
        }

        private Map<String, String> env() {
            Map<String, String> env = new HashMap<>();
            env.put("SE_STORAGE_ID", "se-replicated");
            env.put("SE_DATA_DIR", dataDir.toString());
            env.put("SE_WAL_DIR", root.resolve("wal-" + index).toString());
            env.put("SE_MAX_CAPACITY", String.valueOf(64L << 30));
            env.put("SE_MAX_FILE_SIZE", String.valueOf(1L << 30));
            env.put("SE_JWKS_URL", issuer.jwksUri().toString());
            env.put("SE_DEV_INSECURE_HTTP", "true");
            env.put("SE_BIND_ADDRESS", "127.0.0.1");
            env.put("SE_PORT", Integer.toString(port));
            env.put("SE_MODE", "edit");
            env.put("SE_LOG_FORMAT", "text");
            env.put("SE_REPLICA_MODE", "replicated");
            env.put("SE_ELECTION_RETRY_INTERVAL", ELECTION_RETRY.toMillis() + "ms");
            env.put("SE_LEADER_HEARTBEAT_INTERVAL", HEARTBEAT.toMillis() + "ms");
            env.put("SE_INDEX_REFRESH_INTERVAL", "1s");
            env.put("SE_PROXY_CONNECT_TIMEOUT", "2s");
            env.put("SE_PROXY_IDLE_TIMEOUT", "20s");
            env.put("SE_SHUTDOWN_TIMEOUT", "10s");
            env.putAll(extraEnv);
            return env;
        }

        void kill9() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor();
        }

        /** SIGTERM: the shutdown hook stops the listener gracefully, then steps down. */
        void sigterm() {
            process.destroy();
        }

        /** GET /api/v1/info, or empty when the process does not answer. */
        Optional<JsonNode> info() {
            try {
                HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(uri("/api/v1/info"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofByteArray());
                return r.statusCode() == 200 ? Optional.of(JSON.readTree(r.body())) : Optional.empty();
            } catch (IOException e) {
                return Optional.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }

        /** The end of this replica's log, so a failure in CI explains itself after the temp dir is gone. */
        String logTail() {
            try {
                List<String> lines = java.nio.file.Files.readAllLines(
                        root.resolve("logs").resolve("replica-" + index + ".log"));
                return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
            } catch (IOException e) {
                return "(log unreadable: " + e.getMessage() + ")";
            }
        }

        String role() {
            return info().map(n -> n.path("role").asText()).orElse("down");
        }

        void awaitUp(Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (info().isEmpty()) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("replica " + index + " exited with " + process.exitValue()
                            + "; last lines of its log:\n" + logTail());
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("replica " + index + " did not come up in " + timeout);
                }
                Thread.sleep(50);
            }
        }
    }

    Replica add(List<String> jvmArgs) throws IOException {
        Replica r = new Replica(replicas.size(), ListenPorts.outsideEphemeralRange(), jvmArgs);
        replicas.add(r);
        return r;
    }

    /** Starts {@code n} replicas in parallel and waits until each answers. */
    ReplicaCluster startAll(int n, List<String> jvmArgs) throws Exception {
        for (int i = 0; i < n; i++) {
            add(jvmArgs).start();
        }
        for (Replica r : replicas) {
            r.awaitUp(Duration.ofSeconds(60));
        }
        return this;
    }

    List<Replica> leaders() {
        return replicas.stream().filter(Replica::alive).filter(r -> r.role().equals("leader")).toList();
    }

    /** Waits until exactly one live replica reports itself leader. */
    Replica awaitLeader(Duration timeout) throws InterruptedException {
        return awaitLeader(timeout, null);
    }

    /** Waits until exactly one live replica reports itself leader, and it is not {@code previous}. */
    Replica awaitLeader(Duration timeout, Replica previous) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Replica> leaders = leaders();
            if (leaders.size() == 1 && leaders.get(0) != previous) {
                return leaders.get(0);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no single leader after " + timeout + ": " + leaders.size() + " leaders");
            }
            Thread.sleep(20);
        }
    }

    List<Replica> followers(Replica leader) {
        return replicas.stream().filter(Replica::alive).filter(r -> r != leader).toList();
    }

    LeaderInfo leaderInfo() throws IOException {
        return LeaderInfo.read(dataDir).orElseThrow();
    }

    String token(String... scopes) {
        return issuer.token("alice", scopes);
    }


    @Override
    public void close() {
        for (Replica r : replicas) {
            if (r.process != null) {
                r.process.destroyForcibly();
            }
        }
        for (Replica r : replicas) {
            if (r.process != null) {
                try {
                    r.process.waitFor();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        http.close();
    }
}
