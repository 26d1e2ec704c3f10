package io.artsore.operator.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * In-process stand-in for an SE on 127.0.0.1 that implements /api/v1/info and /api/v1/mode/transition with
 * the contract's rules (§3, §4): a bearer token is required and must equal the configured one, edit is
 * isolated, rw->ro, ro->ar and ro->rw (only with confirm) are allowed, everything else is INVALID_TRANSITION.
 */
public final class FakeStorageElement implements ElementUnderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> MODES = Set.of("edit", "rw", "ro", "ar");

    private final HttpServer server;
    private final String storageId;
    private final String acceptedToken;
    private final AtomicInteger transitionCalls = new AtomicInteger();
    private volatile String mode;
    private volatile String role = "standalone";

    public FakeStorageElement(String storageId, String initialMode, String acceptedToken) throws IOException {
        this.storageId = storageId;
        this.mode = initialMode;
        this.acceptedToken = acceptedToken;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/api/v1/info", this::info);
        server.createContext("/api/v1/mode/transition", this::transition);
        server.start();
    }

    public FakeStorageElement withRole(String role) {
        this.role = role;
        return this;
    }

    @Override
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public String mode() {
        return mode;
    }

    @Override
    public int transitionCalls() {
        return transitionCalls.get();
    }

    private void info(HttpExchange exchange) throws IOException {
        if (!"GET".equals(exchange.getRequestMethod())) {
            error(exchange, 405, "VALIDATION_ERROR", "method not allowed");
            return;
        }
        String body = "{\"storage_id\":\"" + storageId + "\",\"mode\":\"" + mode + "\",\"status\":\"online\","
                + "\"version\":\"test\",\"capacity\":{\"total_bytes\":1000,\"used_bytes\":250,"
                + "\"available_bytes\":750},\"replica_mode\":\"standalone\",\"role\":\"" + role + "\","
                + "\"allowed_operations\":[\"list\"]}";
        send(exchange, 200, body);
    }

    private void transition(HttpExchange exchange) throws IOException {
        transitionCalls.incrementAndGet();
        if (!"POST".equals(exchange.getRequestMethod())) {
            error(exchange, 405, "VALIDATION_ERROR", "method not allowed");
            return;
        }
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.equals("Bearer " + acceptedToken)) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
            error(exchange, 401, "UNAUTHORIZED", "missing or invalid token");
            return;
        }
        JsonNode request;
        try {
            request = JSON.readTree(exchange.getRequestBody());
        } catch (IOException e) {
            error(exchange, 400, "VALIDATION_ERROR", "bad JSON body");
            return;
        }
        String target = request.path("target_mode").asText("");
        boolean confirm = request.path("confirm").asBoolean(false);
        if (!MODES.contains(target)) {
            error(exchange, 400, "VALIDATION_ERROR", "unknown target_mode");
            return;
        }
        synchronized (this) {
            String current = mode;
            boolean allowed = ("rw".equals(current) && "ro".equals(target))
                    || ("ro".equals(current) && "ar".equals(target))
                    || ("ro".equals(current) && "rw".equals(target));
            if (!allowed) {
                error(exchange, 409, "INVALID_TRANSITION", "transition " + current + " -> " + target + " is not allowed");
                return;
            }
            if ("ro".equals(current) && "rw".equals(target) && !confirm) {
                error(exchange, 409, "CONFIRMATION_REQUIRED", "ro -> rw needs confirm: true");
                return;
            }
            mode = target;
            send(exchange, 200, "{\"previous_mode\":\"" + current + "\",\"current_mode\":\"" + target
                    + "\",\"transitioned_at\":\"" + Instant.now() + "\"}");
        }
    }

    private static void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        send(exchange, status, "{\"error\":{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}}");
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        try (exchange) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
