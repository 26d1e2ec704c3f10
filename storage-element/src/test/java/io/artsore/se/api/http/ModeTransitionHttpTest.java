package io.artsore.se.api.http;

import static io.artsore.se.api.http.HttpTestSupport.errorCode;
import static io.artsore.se.api.http.HttpTestSupport.info;
import static io.artsore.se.api.http.HttpTestSupport.json;
import static io.artsore.se.api.http.HttpTestSupport.transition;
import static io.artsore.se.api.http.HttpTestSupport.transitionOk;
import static io.artsore.se.api.http.HttpTestSupport.upload;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.artsore.se.testing.HttpTestBase;
import io.artsore.se.testing.MultipartBody;
import io.artsore.se.testing.OpenApiContract;
import io.artsore.se.testing.SeTestServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** POST /api/v1/mode/transition: the full §4 matrix, validation, runtime effect and persistence over restarts. */
class ModeTransitionHttpTest extends HttpTestBase {
    private static final String OK = "OK";

    /** from, target, confirm, expected (OK or the error code). Every pair of modes, with and without confirm. */
    static Stream<Arguments> matrix() {
        List<Arguments> rows = new ArrayList<>();
        for (String from : List.of("edit", "rw", "ro", "ar")) {
            for (String to : List.of("edit", "rw", "ro", "ar")) {
                for (boolean confirm : List.of(false, true)) {
                    rows.add(Arguments.of(from, to, confirm, expected(from, to, confirm)));
                }
            }
        }
        return rows.stream();
    }

    private static String expected(String from, String to, boolean confirm) {
        String pair = from + "->" + to;
        return switch (pair) {
            case "rw->ro", "ro->ar" -> OK;
            case "ro->rw" -> confirm ? OK : "CONFIRMATION_REQUIRED";
            default -> "INVALID_TRANSITION";
        };
    }

    @ParameterizedTest(name = "{0} -> {1} (confirm={2}): {3}")
    @MethodSource("matrix")
    void transitionMatrix(String from, String to, boolean confirm, String expected) throws Exception {
        startServer(Map.of("SE_MODE", from));
        Instant before = Instant.now().minusSeconds(1);

        HttpResponse<byte[]> r = transition(se, "{\"target_mode\":\"" + to + "\",\"confirm\":" + confirm + "}");

        if (expected.equals(OK)) {
            assertThat(r.statusCode()).isEqualTo(200);
            JsonNode body = json(r);
            assertThat(body.path("previous_mode").asText()).isEqualTo(from);
            assertThat(body.path("current_mode").asText()).isEqualTo(to);
            assertThat(Instant.parse(body.path("transitioned_at").asText())).isAfter(before);
            assertThat(info(se).path("mode").asText()).as("effective at runtime").isEqualTo(to);
            assertThat(Files.exists(se.server().config().dataDir().resolve("mode.json"))).isTrue();
        } else {
            assertThat(r.statusCode()).isEqualTo(409);
            assertThat(errorCode(r)).isEqualTo(expected);
            assertThat(info(se).path("mode").asText()).as("mode unchanged").isEqualTo(from);
        }
    }

    @Test
    void transitionTakesEffectForTheNextRequest() throws Exception {
        startServer(Map.of("SE_MODE", "rw"));
        MultipartBody file = new MultipartBody().file("a.bin", "application/octet-stream", new byte[] {1});
        assertThat(upload(se, file).statusCode()).isEqualTo(201);
        transitionOk(se, "ro", false);
        assertThat(upload(se, file).statusCode()).isEqualTo(409);
        transitionOk(se, "rw", true);
        assertThat(upload(se, file).statusCode()).isEqualTo(201);
    }

    @Test
    void persistedModeWinsOverSeModeAfterARestart() throws Exception {
        startServer(Map.of("SE_MODE", "rw"));
        transitionOk(se, "ro", false);
        transitionOk(se, "ar", false);
        JsonNode persisted = HttpTestSupport.JSON.readTree(
                se.server().config().dataDir().resolve("mode.json").toFile());
        assertThat(persisted.path("mode").asText()).isEqualTo("ar");
        assertThat(persisted.path("updated_by").asText()).isEqualTo(SeTestServer.ALL_SCOPES_SUBJECT);
        assertThat(persisted.has("updated_at")).isTrue();
        se.close();

        startServer(Map.of("SE_MODE", "rw"));
        assertThat(info(se).path("mode").asText()).isEqualTo("ar");
        HttpResponse<byte[]> r = upload(se, new MultipartBody().file("a.bin", "application/octet-stream",
                new byte[] {1}));
        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(info(se).path("allowed_operations").toString()).isEqualTo("[\"list\"]");
    }

    /**
     * §4: a write that started before a transition to a mode that forbids it must not be left half done.
     * The upload is paused mid-body while the transition is acknowledged; when it resumes it is refused
     * and nothing of it stays.
     */
    @Test
    void uploadInFlightDuringATransitionToReadOnlyIsRefusedAndLeavesNothing() throws Exception {
        startServer(Map.of("SE_MODE", "rw"));
        String boundary = "inflight";
        try (Socket socket = new Socket("127.0.0.1", se.server().port())) {
            socket.setSoTimeout(30_000);
            var out = socket.getOutputStream();
            out.write(("POST /api/v1/files/upload HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: Bearer " + se.token("files:write") + "\r\n"
                    + "Content-Type: multipart/form-data; boundary=" + boundary + "\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n").getBytes(US_ASCII));
            chunk(out, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.bin\"\r\n\r\n"
                    + "x".repeat(100_000));
            out.flush();

            transitionOk(se, "ro", false); // must not wait for the paused upload

            chunk(out, "y".repeat(1000) + "\r\n--" + boundary + "--\r\n");
            out.write("0\r\n\r\n".getBytes(US_ASCII));
            out.flush();
            RawHttp.Response r = RawHttp.read(socket.getInputStream());
            assertThat(r.status()).as(r.bodyText()).isEqualTo(409);
            assertThat(json(r.body()).path("error").path("code").asText()).isEqualTo("MODE_NOT_ALLOWED");
            OpenApiContract.load().assertResponse("POST", "/api/v1/files/upload", r.status(), r::header, r.body());
        }
        assertThat(HttpTestSupport.listTotal(se)).isZero();
        assertThat(HttpTestSupport.storedFiles(se)).isEmpty();
        assertThat(info(se).path("capacity").path("used_bytes").asLong()).isZero();
    }

    private static void chunk(OutputStream out, String text) throws IOException {
        byte[] b = text.getBytes(US_ASCII);
        out.write((Integer.toHexString(b.length) + "\r\n").getBytes(US_ASCII));
        out.write(b);
        out.write("\r\n".getBytes(US_ASCII));
    }

    @ParameterizedTest(name = "body {0} -> 400")
    @ValueSource(strings = {
        "{\"target_mode\":\"readonly\"}", "{\"target_mode\":\"RO\"}", "{\"target_mode\":\"\"}", "{\"target_mode\":1}",
        "{}", "{\"confirm\":true}", "{\"target_mode\":\"ro\",\"confirm\":\"yes\"}",
        "{\"target_mode\":\"ro\",\"force\":true}", "[\"ro\"]", "\"ro\"", "null", "{", "not json", ""})
    void invalidRequestsAreValidationErrors(String body) throws Exception {
        startServer(Map.of("SE_MODE", "rw"));
        HttpResponse<byte[]> r = transition(se, body);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(errorCode(r)).isEqualTo("VALIDATION_ERROR");
        assertThat(info(se).path("mode").asText()).isEqualTo("rw");
    }

    @Test
    void oversizedBodyIsAValidationError() throws Exception {
        startServer(Map.of("SE_MODE", "rw"));
        String padding = " ".repeat(100 * 1024);
        HttpResponse<byte[]> r = se.send(se.authorized("/api/v1/mode/transition", "storage:write")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"target_mode\":\"ro\"" + padding + "}"))
                .timeout(Duration.ofSeconds(30)).build());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(info(se).path("mode").asText()).isEqualTo("rw");
    }
}
