package io.artsore.e2e.loadgen;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * A plain WebDAV-style file server (e.g. nginx with dav_methods PUT), the baseline of the benchmark:
 * upload is {@code PUT prefix/name} with the raw bytes, download is {@code GET prefix/name}.
 */
final class WebDavTarget implements Target {

    private final HttpClient client;
    private final String prefix;

    WebDavTarget(HttpClient client, String prefix) {
        this.client = client;
        this.prefix = prefix.endsWith("/") ? prefix : prefix + "/";
    }

    @Override
    public Set<OpType> supportedOps() {
        return EnumSet.of(OpType.UPLOAD, OpType.DOWNLOAD, OpType.RANGE);
    }

    @Override
    public StoredFile upload(long size, RandomGenerator random) throws IOException, InterruptedException, OpFailedException {
        String name = "loadgen-" + UUID.randomUUID() + ".bin";
        HttpRequest request = HttpRequest.newBuilder(URI.create(prefix + name))
                .header("Content-Type", "application/octet-stream")
                .PUT(MultipartBody.raw(size, random))
                .build();
        HttpResponse<Void> response = client.send(request, BodyHandlers.discarding());
        if (response.statusCode() != 201 && response.statusCode() != 204) {
            throw new OpFailedException("PUT answered " + response.statusCode() + ", expected 201 or 204");
        }
        return new StoredFile(name, size);
    }

    @Override
    public long download(StoredFile file) throws IOException, InterruptedException, OpFailedException {
        HttpResponse<Long> response = client.send(HttpRequest.newBuilder(URI.create(prefix + file.key())).GET().build(),
                CountingBodyHandler.INSTANCE);
        SeTarget.expectStatus(response, 200);
        return SeTarget.expectLength(response.body(), file.size());
    }

    @Override
    public long downloadRange(StoredFile file, long first, long last) throws IOException, InterruptedException, OpFailedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(prefix + file.key()))
                .header("Range", "bytes=" + first + "-" + last).GET().build();
        HttpResponse<Long> response = client.send(request, CountingBodyHandler.INSTANCE);
        SeTarget.expectStatus(response, 206);
        return SeTarget.expectLength(response.body(), last - first + 1);
    }

    @Override
    public long listPage(ListCursor cursor) {
        throw new UnsupportedOperationException("list is not a WebDAV baseline operation");
    }

    @Override
    public long metadata(StoredFile file) {
        throw new UnsupportedOperationException("metadata is not a WebDAV baseline operation");
    }
}
