package io.artsore.se.api.http;

import io.artsore.se.server.Main;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The storage element as a separate JVM (its real {@link Main}, configured by environment variables), so a
 * test can cap its heap and watch its memory while the test JVM plays the client.
 */
final class ChildServer implements AutoCloseable {
    private final Process process;
    private final int port;

    private ChildServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static ChildServer start(Path root, TestIssuer issuer, String maxHeap, Map<String, String> env) throws Exception {
        int port = ListenPorts.outsideEphemeralRange();
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + maxHeap, "-Xlog:gc:file=" + root.resolve("gc.log"),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(root.resolve("server.log").toFile());
        Files.createDirectories(root.resolve("data"));
        Files.createDirectories(root.resolve("wal"));
        Map<String, String> e = pb.environment();
        e.put("SE_STORAGE_ID", "se-child");
        e.put("SE_DATA_DIR", root.resolve("data").toString());
        e.put("SE_WAL_DIR", root.resolve("wal").toString());
        e.put("SE_JWKS_URL", issuer.jwksUri().toString());
        e.put("SE_DEV_INSECURE_HTTP", "true");
        e.put("SE_BIND_ADDRESS", "127.0.0.1");
        e.put("SE_PORT", String.valueOf(port));
        e.put("SE_LOG_FORMAT", "text");
        e.putAll(env);
        ChildServer child = new ChildServer(pb.start(), port);
        child.awaitLive();
        return child;
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** Peak resident set size of the child (VmHWM from /proc), in KiB; -1 where /proc is unavailable. */
    long peakRssKib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux, or the process is gone
        }
        return -1;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    private void awaitLive() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("child server exited with " + process.exitValue());
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(uri("/health/live")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("child server did not come up within 60 s");
    }

    /** SIGTERM (graceful stop), then a hard kill if it does not exit in time. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
