package io.artsore.se.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.artsore.se.testing.MultipartBody;
import io.artsore.se.testing.SeTestServer;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Shared helpers for the HTTP-level tests. */
final class HttpTestSupport {
    static final ObjectMapper JSON = new ObjectMapper();

    private HttpTestSupport() {
    }

    static JsonNode json(HttpResponse<byte[]> response) throws IOException {
        return JSON.readTree(response.body());
    }

    static JsonNode json(byte[] body) throws IOException {
        return JSON.readTree(body);
    }

    static String errorCode(HttpResponse<byte[]> response) throws IOException {
        return json(response).path("error").path("code").asText();
    }

    static HttpResponse<byte[]> upload(SeTestServer se, MultipartBody body, String... scopes)
            throws IOException, InterruptedException {
        return se.send(se.authorized("/api/v1/files/upload", scopes.length == 0 ? new String[] {"files:write"} : scopes)
                .header("Content-Type", body.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.build())).build());
    }

    static JsonNode uploadOk(SeTestServer se, String filename, byte[] content) throws Exception {
        HttpResponse<byte[]> r = upload(se, new MultipartBody().file(filename, "application/pdf", content));
        if (r.statusCode() != 201) {
            throw new AssertionError("upload failed: " + r.statusCode() + " " + new String(r.body()));
        }
        return json(r);
    }

    /** POST /api/v1/mode/transition with a storage:write token; the response is contract-checked. */
    static HttpResponse<byte[]> transition(SeTestServer se, String body) throws IOException, InterruptedException {
        return se.send(se.authorized("/api/v1/mode/transition", "storage:write")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    static void transitionOk(SeTestServer se, String target, boolean confirm) throws Exception {
        HttpResponse<byte[]> r = transition(se, "{\"target_mode\":\"" + target + "\",\"confirm\":" + confirm + "}");
        if (r.statusCode() != 200) {
            throw new AssertionError("transition to " + target + " failed: " + r.statusCode() + " "
                    + new String(r.body()));
        }
    }

    static JsonNode info(SeTestServer se) throws Exception {
        return json(se.send(se.request("/api/v1/info").GET().build()));
    }

    static long listTotal(SeTestServer se) throws Exception {
        return json(se.send(se.authorized("/api/v1/files", "files:read").GET().build())).path("total").asLong();
    }

    /** Internal files the contract allows in the data dir besides stored files (§13). */
    private static final Set<String> INTERNAL = Set.of("mode.json", ".leader.lock", ".leader.info");

    /** Every regular file under the data dir except the internal ones: data files, sidecars, leftovers. */
    static List<Path> storedFiles(SeTestServer se) throws IOException {
        Path dataDir = se.server().config().dataDir();
        try (Stream<Path> files = Files.walk(dataDir)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> !INTERNAL.contains(f.getFileName().toString()))
                    .toList();
        }
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
