package io.artsore.e2e.env;

import io.artsore.e2e.dev.DevCertificates;
import io.artsore.e2e.jwksmock.JwksMock;
import io.artsore.e2e.jwksmock.MockConfig;
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
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The plan's test environment (§6.2) as local processes: a jwks-mock over HTTPS and six storage elements —
 * se-edit-1 and se-edit-2 as two replicas each sharing one data dir, se-rw-1, se-rw-2, se-ro, se-ar — all
 * on 127.0.0.1 with free ports. {@link #scriptEnv()} gives the variables the scenario scripts take.
 */
public final class LocalEnvironment implements AutoCloseable {
    private final Path root;
    private final String classpath;
    private final JwksMock mock;
    private final DevCertificates certs;
    private final Map<String, List<ElementProcess>> elements = new LinkedHashMap<>();
    private final Map<String, String> common = new LinkedHashMap<>();

    private LocalEnvironment(Path root, String classpath, JwksMock mock, DevCertificates certs) {
        this.root = root;
        this.classpath = classpath;
        this.mock = mock;
        this.certs = certs;
    }

    public static LocalEnvironment start(Path root, String classpath) throws Exception {
        Files.createDirectories(root.resolve("logs"));
        Files.createDirectories(root.resolve("pids"));
        DevCertificates certs = DevCertificates.ensure(root.resolve("certs"));
        JwksMock mock = new JwksMock(new MockConfig("127.0.0.1", ElementProcess.freePort(), "jwks-mock",
                Optional.of(certs.certPem()), Optional.of(certs.keyPem()), Map.of()));
        mock.start();
        LocalEnvironment env = new LocalEnvironment(root, classpath, mock, certs);
        try {
            env.common.putAll(Map.of(
                    "SE_JWKS_URL", "https://127.0.0.1:" + mock.port() + "/jwks",
                    "SE_CA_CERT_PATH", certs.certPem().toString(),
                    "SE_TLS_CERT", certs.certPem().toString(),
                    "SE_TLS_KEY", certs.keyPem().toString(),
                    "SE_MAX_FILE_SIZE", "10485760",
                    "SE_MAX_CAPACITY", String.valueOf(1L << 30),
                    "SE_GC_INTERVAL", "30s",
                    "SE_LOG_LEVEL", "debug",
                    "SE_SHUTDOWN_TIMEOUT", "5s"));
            env.replicated("se-edit-1", Map.of());
            env.replicated("se-edit-2", Map.of("SE_GC_INTERVAL", "5s", "SE_GC_GRACE_DELETED", "0s"));
            env.standalone("se-rw-1", "rw");
            env.standalone("se-rw-2", "rw");
            env.standalone("se-ro", "rw");
            env.standalone("se-ar", "rw");
            env.writeStartReplicaScript();
            env.awaitReady(Duration.ofSeconds(120));
            return env;
        } catch (Exception | Error e) {
            env.close();
            throw e;
        }
    }

    private void standalone(String name, String mode) throws IOException {
        Map<String, String> e = new LinkedHashMap<>(common);
        e.put("SE_STORAGE_ID", name);
        e.put("SE_MODE", mode);
        e.put("SE_DATA_DIR", root.resolve(name).resolve("data").toString());
        e.put("SE_WAL_DIR", root.resolve(name).resolve("wal").toString());
        add(name, e);
    }

    private void replicated(String name, Map<String, String> extra) throws IOException {
        for (int i = 0; i < 2; i++) {
            addReplica(name, i, extra);
        }
    }

    private ElementProcess addReplica(String name, int index, Map<String, String> extra) throws IOException {
        Map<String, String> e = new LinkedHashMap<>(common);
        e.put("SE_STORAGE_ID", name);
        e.put("SE_MODE", "edit");
        e.put("SE_REPLICA_MODE", "replicated");
        e.put("SE_INDEX_REFRESH_INTERVAL", "10s");
        e.put("SE_ELECTION_RETRY_INTERVAL", "1s");
        e.put("SE_DATA_DIR", root.resolve(name).resolve("data").toString());
        e.put("SE_WAL_DIR", root.resolve(name).resolve("wal-" + index).toString());
        e.putAll(extra);
        return add(name, e);
    }

    private ElementProcess add(String name, Map<String, String> env) throws IOException {
        ElementProcess p = new ElementProcess(name, env, root.resolve("logs"), root.resolve("pids"));
        p.start(classpath);
        elements.computeIfAbsent(name, n -> new ArrayList<>()).add(p);
        return p;
    }

    /**
     * Scenario 22 starts a new se-edit-1 replica from bash; this script does it with the same settings
     * and prints the new replica's URL. Its pid lands in pids/ so {@link #close()} stops it too.
     */
    private void writeStartReplicaScript() throws IOException {
        ElementProcess template = elements.get("se-edit-1").get(0);
        Map<String, String> env = new LinkedHashMap<>(template.env());
        env.remove("SE_PORT");
        env.remove("SE_ADVERTISED_ADDRESS");
        env.put("SE_WAL_DIR", root.resolve("se-edit-1").resolve("wal-extra").toString());
        StringBuilder sh = new StringBuilder("#!/usr/bin/env bash\nset -euo pipefail\n");
        sh.append("port=$(python3 -c 'import socket; s=socket.socket(); s.bind((\"127.0.0.1\",0)); "
                + "print(s.getsockname()[1])' 2>/dev/null || echo $((20000 + RANDOM % 20000)))\n");
        env.forEach((k, v) -> sh.append("export ").append(k).append("='").append(v).append("'\n"));
        sh.append("export SE_PORT=$port SE_ADVERTISED_ADDRESS=127.0.0.1:$port\n");
        sh.append(ElementProcess.command(classpath).stream().map(a -> "'" + a + "'")
                .collect(Collectors.joining(" ")));
        sh.append(" >> '").append(root.resolve("logs")).append("/se-edit-1-extra-$port.log' 2>&1 &\n");
        sh.append("echo $! > '").append(root.resolve("pids")).append("/'$port\n");
        sh.append("echo https://127.0.0.1:$port\n");
        Path script = root.resolve("start-replica.sh");
        Files.writeString(script, sh);
        script.toFile().setExecutable(true);
    }

    private void awaitReady(Duration timeout) throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(certs.clientContext())
                .connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        for (List<ElementProcess> replicas : elements.values()) {
            for (ElementProcess p : replicas) {
                while (true) {
                    if (!p.isAlive()) {
                        throw new IllegalStateException(p.name() + " exited; see " + p.log());
                    }
                    try {
                        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(p.url() + "/health/live"))
                                .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                        if (r.statusCode() == 200) {
                            break;
                        }
                    } catch (IOException e) {
                        // not listening yet
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(p.name() + " not live in " + timeout + "; see " + p.log());
                    }
                    Thread.sleep(250);
                }
            }
        }
    }

    private String url(String name) {
        return elements.get(name).get(0).url();
    }

    /** The variables the scenario scripts (e2e/scripts) take, pointing at this environment. */
    public Map<String, String> scriptEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("JWKS_MOCK_URL", "https://127.0.0.1:" + mock.port());
        env.put("SE_EDIT_1_URL", url("se-edit-1"));
        env.put("SE_EDIT_2_URL", url("se-edit-2"));
        env.put("SE_RW_1_URL", url("se-rw-1"));
        env.put("SE_RW_2_URL", url("se-rw-2"));
        env.put("SE_RO_URL", url("se-ro"));
        env.put("SE_AR_URL", url("se-ar"));
        env.put("SE_EDIT_1_URLS", elements.get("se-edit-1").stream().map(ElementProcess::url)
                .collect(Collectors.joining(" ")));
        Path pids = root.resolve("pids");
        env.put("KILL_LEADER_CMD", "kill -9 \"$(cat '" + pids + "'/\"${1##*:}\")\"");
        env.put("START_REPLICA_CMD", root.resolve("start-replica.sh").toString());
        env.put("GC_WAIT_SECONDS", "30");
        env.put("MAX_FILE_SIZE", "10485760");
        env.put("NO_COLOR", "1");
        return env;
    }

    public Path root() {
        return root;
    }

    @Override
    public void close() {
        elements.values().forEach(list -> list.forEach(ElementProcess::stop));
        killStrays();
        mock.close();
    }

    /** Replicas started by scripts (scenario 22) are not ours to hold, but their pids are recorded. */
    private void killStrays() {
        try (var files = Files.list(root.resolve("pids"))) {
            for (Path f : files.toList()) {
                long pid = Long.parseLong(Files.readString(f).trim());
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
        } catch (IOException | NumberFormatException e) {
            // best effort: the environment is going away
        }
    }
}
