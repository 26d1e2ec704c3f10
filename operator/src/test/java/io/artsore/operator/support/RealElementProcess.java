package io.artsore.operator.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * A real storage element (io.artsore.se.server.Main from the test class path) serving HTTPS on 127.0.0.1 with
 * the given certificate. Its JWKS URL points nowhere: /api/v1/info is public, and the element stays online.
 */
public final class RealElementProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path log;

    private RealElementProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    public static RealElementProcess start(Path dir, String storageId, String mode, PrivateCa tls,
                                           SSLContext trustingTheCa) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Path log = dir.resolve("element.log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                "io.artsore.se.server.Main").redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("SE_"));
        builder.environment().putAll(Map.of(
                "SE_STORAGE_ID", storageId,
                "SE_MODE", mode,
                "SE_DATA_DIR", dir.resolve("data").toString(),
                "SE_WAL_DIR", dir.resolve("wal").toString(),
                "SE_MAX_CAPACITY", String.valueOf(1L << 30),
                "SE_JWKS_URL", "https://127.0.0.1:9/jwks",
                "SE_PORT", String.valueOf(port),
                "SE_BIND_ADDRESS", "127.0.0.1",
                "SE_TLS_CERT", tls.tlsCrt().toString(),
                "SE_TLS_KEY", tls.tlsKey().toString()));
        RealElementProcess element = new RealElementProcess(builder.start(), port, log);
        element.awaitLive(trustingTheCa);
        return element;
    }

    public URI baseUri() {
        return URI.create("https://127.0.0.1:" + port);
    }

    private void awaitLive(SSLContext trust) throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(trust).connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("element exited: " + Files.readString(log));
            }
            try {
                HttpRequest request = HttpRequest.newBuilder(baseUri().resolve("/health/live"))
                        .timeout(Duration.ofSeconds(5)).build();
                if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        close();
        throw new IllegalStateException("element not live in 60 s: " + Files.readString(log));
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
