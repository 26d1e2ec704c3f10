package io.artsore.e2e.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** A small HTTP client of one element for the reliability tests (HTTP/1.1, a timeout on every request). */
final class SeClient {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final String BOUNDARY = "reliability-boundary-7f3a";

    private final String base;
    private final HttpClient http;
    private final Duration timeout;

    SeClient(String base, Duration timeout) {
        this.base = base;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    HttpResponse<byte[]> send(String method, String path, String token, String contentType, byte[] body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<byte[]> get(String path, String token) throws IOException, InterruptedException {
        return send("GET", path, token, null, null);
    }

    HttpResponse<byte[]> upload(String token, String filename, byte[] content, Map<String, String> fields)
            throws IOException, InterruptedException {
        return send("POST", "/api/v1/files/upload", token, multipartType(),
                multipart(filename.getBytes(StandardCharsets.UTF_8), content, fields));
    }

    HttpResponse<byte[]> patchDescription(String token, String fileId, String description)
            throws IOException, InterruptedException {
        byte[] body = JSON.writeValueAsBytes(Map.of("description", description));
        return send("PATCH", "/api/v1/files/" + fileId, token, "application/json", body);
    }

    HttpResponse<byte[]> delete(String token, String fileId) throws IOException, InterruptedException {
        return send("DELETE", "/api/v1/files/" + fileId, token, null, null);
    }

    /** Every file in every status, page by page (oldest first). */
    List<JsonNode> listAll(String token) throws IOException, InterruptedException {
        List<JsonNode> all = new ArrayList<>();
        while (true) {
            HttpResponse<byte[]> r = get("/api/v1/files?limit=10000&offset=" + all.size(), token);
            if (r.statusCode() != 200) {
                throw new IOException("list answered " + r.statusCode() + ": " + text(r));
            }
            JsonNode page = JSON.readTree(r.body());
            page.get("items").forEach(all::add);
            if (!page.get("has_more").asBoolean()) {
                return all;
            }
        }
    }

    static String multipartType() {
        return "multipart/form-data; boundary=" + BOUNDARY;
    }

    /** A form with the file part (its filename bytes as given, no escaping) and text fields. */
    static byte[] multipart(byte[] filename, byte[] content, Map<String, String> fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 512);
        fields.forEach((name, value) -> out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\""
                + name + "\"\r\n\r\n" + value + "\r\n").getBytes(StandardCharsets.UTF_8)));
        out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"")
                .getBytes(StandardCharsets.UTF_8));
        out.writeBytes(filename);
        out.writeBytes("\"\r\nContent-Type: application/octet-stream\r\n\r\n".getBytes(StandardCharsets.UTF_8));
        out.writeBytes(content);
        out.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    static JsonNode json(HttpResponse<byte[]> r) throws IOException {
        return JSON.readTree(r.body());
    }

    static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
