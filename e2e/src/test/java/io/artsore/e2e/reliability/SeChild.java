package io.artsore.e2e.reliability;

import io.artsore.e2e.env.ElementProcess;
import io.artsore.se.testing.ListenPorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One storage element as a child JVM ({@code io.artsore.se.server.Main}, plain HTTP on 127.0.0.1) that tests
 * can kill with SIGKILL and restart on the same port and directories. Its output goes to one log file across
 * restarts, which the security tests scan.
 */
final class SeChild implements AutoCloseable {
    private final Map<String, String> env = new LinkedHashMap<>();
    private final List<String> jvmArgs = new ArrayList<>();
    private final Path log;
    private final int port;
    private Process process;

    SeChild(Path root, TokenForge forge, Map<String, String> overrides) throws IOException {
        this(root.resolve("wal"), root.resolve("se.log"), root, forge, overrides);
    }

    /**
     * One replica of a replicated element ({@code SE_REPLICA_MODE=replicated}): the data dir {@code root/data}
     * is shared by every replica under {@code root}, the WAL dir ({@code root/wal-<name>}) and the log
     * ({@code root/<name>.log}) are its own.
     */
    static SeChild replica(Path root, String name, TokenForge forge, Map<String, String> overrides)
            throws IOException {
        return replicaOnStorage(root, root.resolve(name + ".log"), name, forge, overrides);
    }

    /**
     * {@link #replica} whose data and WAL dirs lie below {@code storage} (the power-cut file system's mount) and
     * whose log {@code log} lies elsewhere, so a power cut does not eat it.
     */
    static SeChild replicaOnStorage(Path storage, Path log, String name, TokenForge forge,
            Map<String, String> overrides) throws IOException {
        SeChild child = new SeChild(storage.resolve("wal-" + name), log, storage, forge, overrides);
        child.env.put("SE_REPLICA_MODE", "replicated");
        child.env.putIfAbsent("SE_ADVERTISED_ADDRESS", "127.0.0.1:" + child.port);
        return child;
    }

    /**
     * An element whose data and WAL dirs are {@code storage/data} and {@code storage/wal} (the power-cut file
     * system's mount) and whose log {@code log} lies elsewhere, so a power cut does not eat it.
     */
    static SeChild onStorage(Path storage, Path log, TokenForge forge, Map<String, String> overrides)
            throws IOException {
        return new SeChild(storage.resolve("wal"), log, storage, forge, overrides);
    }

    /** Changes one setting from the next start on. */
    SeChild env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** A JVM option for every start, e.g. a test-only {@code -Dse.crashpoint...} switch. */
    SeChild jvmArg(String arg) {
        jvmArgs.add(arg);
        return this;
    }

    private SeChild(Path wal, Path log, Path root, TokenForge forge, Map<String, String> overrides)
            throws IOException {
        this.port = ListenPorts.outsideEphemeralRange(); // restarted on the same port after every kill
        Path data = root.resolve("data");
        Files.createDirectories(data);
        Files.createDirectories(wal);
        this.log = log;
        env.put("SE_STORAGE_ID", "se-reliability");
        env.put("SE_DATA_DIR", data.toString());
        env.put("SE_WAL_DIR", wal.toString());
        env.put("SE_MAX_FILE_SIZE", String.valueOf(16L << 20));
        env.put("SE_MAX_CAPACITY", String.valueOf(4L << 30));
        env.put("SE_JWKS_URL", forge.jwksUrl());
        env.put("SE_JWT_ISSUER", TokenForge.ISSUER);
        env.put("SE_JWT_AUDIENCE", TokenForge.AUDIENCE);
        env.put("SE_DEV_INSECURE_HTTP", "true");
        env.put("SE_PORT", String.valueOf(port));
        env.put("SE_BIND_ADDRESS", "127.0.0.1");
        env.put("SE_LOG_FORMAT", "text");
        env.put("SE_SCRUB_BYTES_PER_SEC", "0");
        env.put("SE_SHUTDOWN_TIMEOUT", "2s");
        env.putAll(overrides);
    }


    Path dataDir() {
        return Path.of(env.get("SE_DATA_DIR"));
    }

    Path walDir() {
        return Path.of(env.get("SE_WAL_DIR"));
    }

    Path log() {
        return log;
    }

    int port() {
        return port;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Starts the JVM and waits until /health/live answers; fails with the log's tail when it does not. */
    SeChild start() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-Xshare:auto"));
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.artsore.se.server.Main"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().keySet().removeIf(k -> k.startsWith("SE_"));
        pb.environment().putAll(env);
        process = pb.start();
        awaitLive(Duration.ofSeconds(60));
        return this;
    }

    private void awaitLive(Duration timeout) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("element exited with " + process.exitValue() + ":\n" + logTail());
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url() + "/health/live"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("element not live in " + timeout + ":\n" + logTail());
    }

    /** SIGKILL: no shutdown hook, no flush — the crash the storage must survive. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("element did not die after SIGKILL");
        }
    }

    /**
     * SIGTERM, as the kubelet sends after preStop, and waits for the exit: the element's own graceful shutdown
     * (drain, leader lock released). Fails when it does not exit within {@code timeout}.
     *
     * @return the exit code (143 after a JVM shutdown on SIGTERM)
     */
    int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("element did not exit within " + timeout + " after SIGTERM:\n" + logTail());
        }
        return process.exitValue();
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Open file descriptors of the child (Linux). */
    long openFds() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc", String.valueOf(pid()), "fd"))) {
            return fds.count();
        }
    }

    /** Threads of the child (platform threads; virtual threads are not OS threads). */
    long threads() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid()), "status"))) {
            if (line.startsWith("Threads:")) {
                return Long.parseLong(line.substring(8).trim());
            }
        }
        throw new IOException("no Threads line in /proc status");
    }

    /** Graceful stop (SIGTERM), then SIGKILL if it hangs. */
    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            ElementProcess.stopGracefully(process);
        }
    }
}
