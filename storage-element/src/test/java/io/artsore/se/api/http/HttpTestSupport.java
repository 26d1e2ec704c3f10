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

/** Shared helpers for the HTTP-level tests. */
final class HttpTestSupport {
    static final ObjectMapper JSON = new ObjectMapper();

    private HttpTestSupport() {
    }

    static JsonNode json(HttpResponse<byte[]> response) throws IOException {
        return JSON.readTree(response.body());
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

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
