package io.artsore.e2e.charts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the se-test chart's init scripts (files/init-data.sh + lib.sh, copies of e2e/scripts/)
 * with bash, curl and jq against an in-process stand-in for jwks-mock and the six elements on 127.0.0.1,
 * which enforces the token, the modes and the mode transition rules of the contract.
 */
class InitScriptsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "test-token";
    private static final List<String> ELEMENTS = List.of("se-edit-1", "se-edit-2", "se-rw-1", "se-rw-2", "se-ro", "se-ar");

    private HttpServer server;
    private final Map<String, Element> elements = new ConcurrentHashMap<>();
    private final AtomicInteger tokensIssued = new AtomicInteger();

    /** What the stand-in knows about one element. */
    private static final class Element {
        volatile String mode;
        final AtomicInteger files = new AtomicInteger();
        final AtomicInteger notReadyAnswersLeft = new AtomicInteger();
        volatile boolean failUploads;

        Element(String mode) {
            this.mode = mode;
        }
    }

    @BeforeEach
    void start() throws IOException {
        ELEMENTS.forEach(name -> elements.put(name, new Element(name.startsWith("se-edit") ? "edit" : "rw")));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/mock/", this::mock);
        ELEMENTS.forEach(name -> server.createContext("/" + name + "/", exchange -> element(name, exchange)));
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void loadsSeRoAndSeArAndMovesThemToRoAndAr() throws Exception {
        elements.get("se-ar").notReadyAnswersLeft.set(2);   // the script must wait, not give up

        Run run = runInitData(Map.of("RO_FILES", "4", "AR_FILES", "12"));

        assertThat(run.exitCode).as(run.output).isZero();
        assertThat(elements.get("se-ro").mode).isEqualTo("ro");
        assertThat(elements.get("se-ro").files).hasValue(4);
        assertThat(elements.get("se-ar").mode).isEqualTo("ar");
        assertThat(elements.get("se-ar").files).hasValue(12);
        assertThat(elements.get("se-rw-1").files).hasValue(0);
        assertThat(elements.get("se-edit-1").mode).isEqualTo("edit");
        assertThat(tokensIssued).hasValue(1);
        assertThat(run.output).contains("se-ro: mode ro, 4 files", "se-ar: mode ar, 12 files");
    }

    @Test
    void aRetriedJobTopsUpAndSkipsTransitionsAlreadyDone() throws Exception {
        Element ro = elements.get("se-ro");
        ro.files.set(4);
        ro.mode = "ro";
        Element ar = elements.get("se-ar");
        ar.files.set(9);   // the first attempt died while loading se-ar

        Run run = runInitData(Map.of("RO_FILES", "4", "AR_FILES", "12"));

        assertThat(run.exitCode).as(run.output).isZero();
        assertThat(ro.files).hasValue(4);
        assertThat(ar.files).hasValue(12);
        assertThat(ar.mode).isEqualTo("ar");
    }

    @Test
    void aFailedUploadFailsTheJob() throws Exception {
        elements.get("se-ar").failUploads = true;

        Run run = runInitData(Map.of("RO_FILES", "1", "AR_FILES", "3"));

        assertThat(run.exitCode).as(run.output).isNotZero();
        assertThat(run.output).contains("HTTP 500");
        assertThat(elements.get("se-ar").mode).as("no transition after a failed load").isEqualTo("rw");
    }

    @Test
    void anElementThatNeverGetsReadyFailsTheJobInsteadOfHanging() throws Exception {
        elements.get("se-rw-2").notReadyAnswersLeft.set(Integer.MAX_VALUE);

        Run run = runInitData(Map.of("READY_TIMEOUT", "3"));

        assertThat(run.exitCode).as(run.output).isNotZero();
        assertThat(run.output).contains("se-rw-2/health/ready not answering 200");
        assertThat(elements.get("se-ro").files).hasValue(0);
    }

    private record Run(int exitCode, String output) {
    }

    private Run runInitData(Map<String, String> extraEnv) throws Exception {
        Path script = Charts.chartDir("se-test").resolve("files/init-data.sh");
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true);
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        Map<String, String> env = pb.environment();
        env.put("JWKS_MOCK_URL", base + "/mock");
        for (String name : ELEMENTS) {
            env.put(name.toUpperCase(Locale.ROOT).replace('-', '_') + "_URL", base + "/" + name);
        }
        env.put("MOCK_TIMEOUT", "10");
        env.put("READY_TIMEOUT", "20");
        env.putAll(extraEnv);
        Process process = pb.start();
        byte[] output = process.getInputStream().readAllBytes();   // ends when the script exits
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("init-data.sh did not finish: " + new String(output, StandardCharsets.UTF_8));
        }
        return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    private void mock(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (path.equals("/mock/jwks") && exchange.getRequestMethod().equals("GET")) {
            reply(exchange, 200, Map.of("keys", List.of()));
        } else if (path.equals("/mock/token") && exchange.getRequestMethod().equals("POST")) {
            JsonNode request = JSON.readTree(exchange.getRequestBody());
            List<String> scopes = JSON.convertValue(request.get("scopes"), JSON.getTypeFactory()
                    .constructCollectionType(List.class, String.class));
            if (!scopes.containsAll(List.of("files:read", "files:write", "storage:write"))
                    || request.get("ttl_seconds").asInt() <= 0 || request.get("sub").asText().isEmpty()) {
                reply(exchange, 400, Map.of("error", "bad token request " + request));
                return;
            }
            tokensIssued.incrementAndGet();
            reply(exchange, 200, Map.of("token", TOKEN));
        } else {
            reply(exchange, 404, Map.of());
        }
    }

    private void element(String name, HttpExchange exchange) throws IOException {
        Element e = elements.get(name);
        String path = exchange.getRequestURI().getPath().substring(name.length() + 1);
        String method = exchange.getRequestMethod();
        if (path.equals("/health/ready")) {
            boolean notReady = e.notReadyAnswersLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
            reply(exchange, notReady ? 503 : 200, Map.of("status", notReady ? "fail" : "ok"));
            return;
        }
        if (path.equals("/api/v1/info")) {
            reply(exchange, 200, Map.of("storage_id", name, "mode", e.mode));
            return;
        }
        if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            reply(exchange, 401, error("UNAUTHORIZED"));
            return;
        }
        if (path.equals("/api/v1/files") && method.equals("GET")) {
            reply(exchange, 200, Map.of("items", List.of(), "total", e.files.get(), "limit", 1, "offset", 0));
        } else if (path.equals("/api/v1/files/upload") && method.equals("POST")) {
            String type = exchange.getRequestHeaders().getFirst("Content-Type");
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (e.failUploads) {
                reply(exchange, 500, error("INTERNAL_ERROR"));
            } else if (!e.mode.equals("rw") && !e.mode.equals("edit")) {
                reply(exchange, 409, error("MODE_NOT_ALLOWED"));
            } else if (type == null || !type.startsWith("multipart/form-data")
                    || !new String(body, StandardCharsets.ISO_8859_1).contains("name=\"file\"; filename=")) {
                reply(exchange, 400, error("VALIDATION_ERROR"));
            } else {
                e.files.incrementAndGet();
                reply(exchange, 201, Map.of("file_id", UUID.randomUUID().toString()));
            }
        } else if (path.equals("/api/v1/mode/transition") && method.equals("POST")) {
            String target = JSON.readTree(exchange.getRequestBody()).path("target_mode").asText();
            String transition = e.mode + ">" + target;
            if (transition.equals("rw>ro") || transition.equals("ro>ar")) {
                String previous = e.mode;
                e.mode = target;
                reply(exchange, 200, Map.of("previous_mode", previous, "current_mode", target));
            } else {
                reply(exchange, 409, error("INVALID_TRANSITION"));
            }
        } else {
            reply(exchange, 404, error("NOT_FOUND"));
        }
    }

    private static Map<String, Object> error(String code) {
        Map<String, Object> error = new HashMap<>();
        error.put("error", Map.of("code", code, "message", code));
        return error;
    }

    private static void reply(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
