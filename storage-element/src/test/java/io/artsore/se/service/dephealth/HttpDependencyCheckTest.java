package io.artsore.se.service.dephealth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.artsore.se.metrics.SeMetrics;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The JWKS dependency check against a local server that is up, slow, failing and down. */
class HttpDependencyCheckTest {
    static final Duration TIMEOUT = Duration.ofSeconds(2);

    enum Behaviour { UP, SLOW, FAILING }

    final AtomicReference<Behaviour> behaviour = new AtomicReference<>(Behaviour.UP);
    final AtomicInteger hits = new AtomicInteger();
    final SeMetrics metrics = new SeMetrics();
    final java.util.concurrent.ExecutorService handlers = java.util.concurrent.Executors.newCachedThreadPool();
    HttpServer server;
    HttpDependencyCheck check;
    java.util.Map<String, String> base;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(handlers);
        server.createContext("/jwks", exchange -> {
            hits.incrementAndGet();
            switch (behaviour.get()) {
                case SLOW -> sleep(TIMEOUT.multipliedBy(10));
                case FAILING -> {
                    exchange.sendResponseHeaders(503, -1);
                    exchange.close();
                    return;
                }
                default -> { }
            }
            byte[] body = "{\"keys\":[]}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        int port = server.getAddress().getPort();
        check = new HttpDependencyCheck(new HttpDependencyCheck.Target("se-test", "artsore", "jwks",
                URI.create("http://127.0.0.1:" + port + "/jwks"), true),
                HttpClient.newBuilder().connectTimeout(TIMEOUT).build(), Duration.ofMillis(100), TIMEOUT,
                metrics);
        base = java.util.Map.of("critical", "yes", "dependency", "jwks", "group", "artsore", "host", "127.0.0.1",
                "name", "se-test", "port", Integer.toString(port), "type", "http");
    }

    @AfterEach
    void stop() {
        check.close();
        server.stop(0);
        handlers.shutdownNow();
    }

    @Test
    void nothingIsExportedBeforeTheFirstCheck() throws Exception {
        assertThat(scrape()).doesNotContain("app_dependency_health{");
    }

    @Test
    void upSlowFailingAndDownAreEachReported() throws Exception {
        assertThat(check.check().status()).isEqualTo("ok");
        assertThat(scrape()).contains("app_dependency_health" + with(null, null) + " 1.0",
                "app_dependency_status" + with("status", "ok") + " 1.0",
                "app_dependency_status" + with("status", "timeout") + " 0.0",
                "app_dependency_status_detail" + with("detail", "ok") + " 1.0",
                "app_dependency_latency_seconds_count" + with(null, null) + " 1");

        behaviour.set(Behaviour.SLOW);
        CheckOutcome slow = check.check();
        assertThat(slow.status()).isEqualTo("timeout");
        assertThat(slow.latency()).as("the check gives up").isLessThan(TIMEOUT.multipliedBy(10));
        assertThat(scrape()).contains("app_dependency_health" + with(null, null) + " 0.0",
                "app_dependency_status" + with("status", "timeout") + " 1.0",
                "app_dependency_status" + with("status", "ok") + " 0.0",
                "app_dependency_status_detail" + with("detail", "timeout") + " 1.0")
                .doesNotContain("detail=\"ok\"");

        behaviour.set(Behaviour.FAILING);
        assertThat(check.check()).extracting(CheckOutcome::status, CheckOutcome::detail)
                .containsExactly("http_error", "http_503");
        assertThat(scrape()).contains("app_dependency_status" + with("status", "http_error") + " 1.0",
                "app_dependency_status_detail" + with("detail", "http_503") + " 1.0");

        server.stop(0);
        assertThat(check.check()).extracting(CheckOutcome::status, CheckOutcome::detail)
                .containsExactly("connection_error", "connection_refused");
        String down = scrape();
        assertThat(down).contains("app_dependency_health" + with(null, null) + " 0.0",
                "app_dependency_status" + with("status", "connection_error") + " 1.0",
                "app_dependency_latency_seconds_count" + with(null, null) + " 4");
        assertThat(down.lines().filter(l -> l.startsWith("app_dependency_status{") && l.endsWith(" 1.0")))
                .as("one-hot").hasSize(1);
    }

    @Test
    void anUnresolvableHostIsADnsError() {
        HttpDependencyCheck dns = new HttpDependencyCheck(new HttpDependencyCheck.Target("se-test", "artsore", "jwks",
                URI.create("http://no-such-host.invalid/jwks"), true), HttpClient.newHttpClient(),
                Duration.ofSeconds(1), Duration.ofSeconds(5), new SeMetrics());
        assertThat(dns.check().status()).isEqualTo("dns_error");
    }

    @Test
    void startedChecksRunPeriodically() {
        check.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> hits.get() >= 3);
        assertThat(check.last().healthy()).isTrue();
    }

    /** The label set as exported: names sorted, with one extra label (or none). */
    private String with(String extraName, String extraValue) {
        java.util.TreeMap<String, String> all = new java.util.TreeMap<>(base);
        if (extraName != null) {
            all.put(extraName, extraValue);
        }
        StringBuilder b = new StringBuilder("{");
        all.forEach((k, v) -> b.append(b.length() > 1 ? "," : "").append(k).append("=\"").append(v).append('"'));
        return b.append('}').toString();
    }

    private String scrape() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        metrics.write(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
