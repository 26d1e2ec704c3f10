package io.artsore.e2e.reliability;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Kubernetes Service stand-in for local replica processes, on 127.0.0.1: each request goes to the next backend
 * (round robin) whose {@code /health/ready} answered 200 at the last probe (every 100 ms, as the endpoints of a
 * Service follow readiness) and that is in the endpoint set. {@link #remove} takes a backend out at once, as the
 * endpoints controller does when a pod is deleted, before its SIGTERM; {@link #add} puts it back, and it receives
 * traffic once its readiness probe passes. The router never retries: what the element answers is what the client
 * sees; a backend it cannot reach, or no ready backend at all, is answered 502 (a Service would reset or refuse the
 * connection), a failure no client would retry. It counts every answer by status.
 */
final class ReadyRouter implements AutoCloseable {
    private static final Set<String> NOT_FORWARDED = Set.of("host", "connection", "content-length", "expect",
            "upgrade", "transfer-encoding");
    private static final Set<String> RETURNED = Set.of("content-type", "retry-after", "location", "etag",
            "www-authenticate");

    private final HttpServer server;
    private final HttpClient upstream = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final List<String> endpoints = new CopyOnWriteArrayList<>();
    private final Set<String> ready = ConcurrentHashMap.newKeySet();
    private final AtomicInteger next = new AtomicInteger();
    private final Map<Integer, AtomicLong> byStatus = new ConcurrentHashMap<>();
    private final AtomicLong retryable = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final Thread prober;
    private volatile boolean closed;

    ReadyRouter(List<String> backends) throws IOException {
        endpoints.addAll(backends);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::forward);
        server.start();
        prober = Thread.ofPlatform().daemon().name("ready-router-probe").start(this::probe);
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The backend's pod was deleted: no new request goes to it. */
    void remove(String backend) {
        endpoints.remove(backend);
        ready.remove(backend);
    }

    /** The backend's pod exists again; it is routed to once ready. */
    void add(String backend) {
        endpoints.add(backend);
    }

    /** Waits until the backend is routed to (its readiness probe passed). */
    void awaitRouted(String backend, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ready.contains(backend)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(backend + " not ready within " + timeout);
            }
            Thread.sleep(20);
        }
    }

    long requests() {
        return requests.get();
    }

    /** Answers of 500 and above, and how many of those were 503 with Retry-After (a client retries those). */
    long failed() {
        return byStatus.entrySet().stream().filter(e -> e.getKey() >= 500).mapToLong(e -> e.getValue().get()).sum();
    }

    long retryableFailures() {
        return retryable.get();
    }

    /** Status -> count, e.g. {200=812, 201=940, 503=3}. */
    Map<Integer, Long> byStatus() {
        Map<Integer, Long> counts = new TreeMap<>();
        byStatus.forEach((status, n) -> counts.put(status, n.get()));
        return counts;
    }

    private void probe() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
        while (!closed) {
            for (String backend : endpoints) {
                boolean up;
                try {
                    up = http.send(HttpRequest.newBuilder(URI.create(backend + "/health/ready"))
                            .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding())
                            .statusCode() == 200;
                } catch (IOException e) {
                    up = false;
                } catch (InterruptedException e) {
                    return;
                }
                if (up && endpoints.contains(backend)) {
                    ready.add(backend);
                } else {
                    ready.remove(backend);
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void forward(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String backend = pick();
            if (backend == null) {
                answer(exchange, 502, Map.of(), "no ready endpoint".getBytes(StandardCharsets.UTF_8));
                return;
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(backend + exchange.getRequestURI()))
                    .timeout(Duration.ofSeconds(30))
                    .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!NOT_FORWARDED.contains(name.toLowerCase())) {
                    values.forEach(v -> request.header(name, v));
                }
            });
            HttpResponse<byte[]> response;
            try {
                response = upstream.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                answer(exchange, 502, Map.of(), ("upstream " + backend + ": " + e).getBytes(StandardCharsets.UTF_8));
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            Map<String, String> headers = new TreeMap<>();
            response.headers().map().forEach((name, values) -> {
                if (RETURNED.contains(name.toLowerCase())) {
                    headers.put(name, values.getFirst());
                }
            });
            if (response.statusCode() == 503 && headers.keySet().stream().anyMatch("retry-after"::equalsIgnoreCase)) {
                retryable.incrementAndGet();
            }
            answer(exchange, response.statusCode(), headers, response.body());
        }
    }

    private String pick() {
        List<String> candidates = endpoints.stream().filter(ready::contains).toList();
        return candidates.isEmpty() ? null
                : candidates.get(Math.floorMod(next.getAndIncrement(), candidates.size()));
    }

    private void answer(HttpExchange exchange, int status, Map<String, String> headers, byte[] body)
            throws IOException {
        byStatus.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
        headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        closed = true;
        prober.interrupt();
        server.stop(0);
    }
}
