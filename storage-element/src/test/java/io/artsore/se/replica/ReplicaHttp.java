package io.artsore.se.replica;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.artsore.se.testing.MultipartBody;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.UUID;

/** HTTP calls against one replica of a {@link ReplicaCluster}, with an all-scopes token. */
final class ReplicaHttp {
    static final ObjectMapper JSON = new ObjectMapper();
    private final ReplicaCluster cluster;

    ReplicaHttp(ReplicaCluster cluster) {
        this.cluster = cluster;
    }

    private HttpRequest.Builder request(ReplicaCluster.Replica r, String path) {
        return HttpRequest.newBuilder(r.uri(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + cluster.token("files:read", "files:write", "storage:write"));
    }

    HttpResponse<byte[]> upload(ReplicaCluster.Replica r, String name, byte[] content)
            throws IOException, InterruptedException {
        MultipartBody body = new MultipartBody().file(name, "application/octet-stream", content);
        return cluster.http.send(request(r, "/api/v1/files/upload").header("Content-Type", body.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.build())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<byte[]> metadata(ReplicaCluster.Replica r, UUID id) throws IOException, InterruptedException {
        return cluster.http.send(request(r, "/api/v1/files/" + id).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<byte[]> download(ReplicaCluster.Replica r, UUID id) throws IOException, InterruptedException {
        return cluster.http.send(request(r, "/api/v1/files/" + id + "/download").GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<byte[]> patch(ReplicaCluster.Replica r, UUID id, String json) throws IOException, InterruptedException {
        return cluster.http.send(request(r, "/api/v1/files/" + id).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<byte[]> delete(ReplicaCluster.Replica r, UUID id) throws IOException, InterruptedException {
        return cluster.http.send(request(r, "/api/v1/files/" + id).DELETE().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<byte[]> transition(ReplicaCluster.Replica r, String targetMode) throws IOException, InterruptedException {
        return cluster.http.send(request(r, "/api/v1/mode/transition").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"target_mode\":\"" + targetMode + "\"}")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    JsonNode list(ReplicaCluster.Replica r, int limit, long offset) throws IOException, InterruptedException {
        HttpResponse<byte[]> res = cluster.http.send(request(r, "/api/v1/files?limit=" + limit + "&offset=" + offset)
                .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        if (res.statusCode() != 200) {
            throw new IOException("list answered " + res.statusCode());
        }
        return JSON.readTree(res.body());
    }

    String metrics(ReplicaCluster.Replica r) throws IOException, InterruptedException {
        return cluster.http.send(HttpRequest.newBuilder(r.uri("/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    static JsonNode json(HttpResponse<byte[]> res) throws IOException {
        return JSON.readTree(res.body());
    }

    static UUID fileId(HttpResponse<byte[]> res) throws IOException {
        return UUID.fromString(json(res).path("file_id").asText());
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
