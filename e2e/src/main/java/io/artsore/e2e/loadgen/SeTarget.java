package io.artsore.e2e.loadgen;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.EnumSet;
import java.util.Set;
import java.util.random.RandomGenerator;

/** The Storage Element API of docs/contract.md (§1): upload, download, list and metadata endpoints. */
final class SeTarget implements Target {

    private final HttpClient client;
    private final String baseUrl;
    private final String authorization;
    private final int listLimit;

    SeTarget(HttpClient client, String baseUrl, String token, int listLimit) {
        this.client = client;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.authorization = token == null ? null : "Bearer " + token;
        this.listLimit = listLimit;
    }

    @Override
    public Set<OpType> supportedOps() {
        return EnumSet.allOf(OpType.class);
    }

    @Override
    public StoredFile upload(long size, RandomGenerator random) throws IOException, InterruptedException, OpFailedException {
        MultipartBody body = new MultipartBody("loadgen-" + size + ".bin", size);
        HttpRequest request = request("/api/v1/files/upload")
                .header("Content-Type", body.contentType())
                .POST(body.publisher(size, random))
                .build();
        HttpResponse<String> response = client.send(request, BodyHandlers.ofString());
        expectStatus(response, 201);
        String fileId = JsonFields.string(response.body(), "file_id");
        if (fileId == null || fileId.isEmpty()) {
            throw new OpFailedException("upload answered 201 without file_id");
        }
        return new StoredFile(fileId, size);
    }

    @Override
    public long download(StoredFile file) throws IOException, InterruptedException, OpFailedException {
        HttpResponse<Long> response = client.send(request(downloadPath(file)).GET().build(), CountingBodyHandler.INSTANCE);
        expectStatus(response, 200);
        return expectLength(response.body(), file.size());
    }

    @Override
    public long downloadRange(StoredFile file, long first, long last) throws IOException, InterruptedException, OpFailedException {
        HttpRequest request = request(downloadPath(file)).header("Range", "bytes=" + first + "-" + last).GET().build();
        HttpResponse<Long> response = client.send(request, CountingBodyHandler.INSTANCE);
        expectStatus(response, 206);
        return expectLength(response.body(), last - first + 1);
    }

    @Override
    public long listPage(ListCursor cursor) throws IOException, InterruptedException, OpFailedException {
        HttpRequest request = request("/api/v1/files?limit=" + listLimit + "&offset=" + cursor.offset).GET().build();
        HttpResponse<String> response = client.send(request, BodyHandlers.ofString());
        expectStatus(response, 200);
        String json = response.body();
        int items = JsonFields.occurrences(json, "file_id");
        cursor.offset = JsonFields.bool(json, "has_more") ? cursor.offset + items : 0;
        return json.length();
    }

    @Override
    public long metadata(StoredFile file) throws IOException, InterruptedException, OpFailedException {
        HttpResponse<String> response = client.send(request("/api/v1/files/" + file.key()).GET().build(), BodyHandlers.ofString());
        expectStatus(response, 200);
        return response.body().length();
    }

    private static String downloadPath(StoredFile file) {
        return "/api/v1/files/" + file.key() + "/download";
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path));
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder;
    }

    static void expectStatus(HttpResponse<?> response, int expected) throws OpFailedException {
        if (response.statusCode() != expected) {
            throw new OpFailedException(response.request().method() + " " + response.uri().getPath()
                    + " answered " + response.statusCode() + ", expected " + expected);
        }
    }

    static long expectLength(long received, long expected) throws OpFailedException {
        if (received != expected) {
            throw new OpFailedException("received " + received + " bytes, expected " + expected);
        }
        return received;
    }
}
