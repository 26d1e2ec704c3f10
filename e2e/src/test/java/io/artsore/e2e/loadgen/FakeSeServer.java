package io.artsore.e2e.loadgen;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for the Storage Element on 127.0.0.1 (port 0) that implements just enough of docs/contract.md for
 * the generator — upload (counts the payload of the multipart body), download with ranges, metadata, list —
 * plus WebDAV PUT/GET under /dav/ and the jwks-mock POST /token. It counts what it received and sent so
 * tests can compare with the generator's report.
 */
final class FakeSeServer implements AutoCloseable {

    static final String MOCK_TOKEN = "token-from-mock";
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d+)");

    final AtomicLong uploads = new AtomicLong();
    final AtomicLong uploadPayloadBytes = new AtomicLong();
    final AtomicLong downloadBytesSent = new AtomicLong();
    final AtomicLong rangeRequests = new AtomicLong();
    final AtomicLong metadataRequests = new AtomicLong();
    final List<Long> listOffsets = new CopyOnWriteArrayList<>();
    final List<String> authorizations = new CopyOnWriteArrayList<>();
    volatile boolean failUploads;

    private final Map<String, Long> sizes = new ConcurrentHashMap<>();
    private final List<String> order = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    FakeSeServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/api/v1/files", this::files);
        server.createContext("/dav/", this::dav);
        server.createContext("/token", ex -> {
            ex.getRequestBody().readAllBytes();
            send(ex, 200, "{\"token\":\"" + MOCK_TOKEN + "\"}");
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Adds a file as if uploaded earlier (for list tests). */
    void preload(long size) {
        String id = UUID.randomUUID().toString();
        sizes.put(id, size);
        order.add(id);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void files(HttpExchange ex) throws IOException {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth != null) {
            authorizations.add(auth);
        }
        String path = ex.getRequestURI().getPath();
        String method = ex.getRequestMethod();
        if (method.equals("POST") && path.equals("/api/v1/files/upload")) {
            upload(ex);
        } else if (method.equals("GET") && path.equals("/api/v1/files")) {
            list(ex);
        } else if (method.equals("GET") && path.endsWith("/download")) {
            String id = path.substring("/api/v1/files/".length(), path.length() - "/download".length());
            sendBytes(ex, sizes.get(id));
        } else if (method.equals("GET")) {
            metadataRequests.incrementAndGet();
            String id = path.substring("/api/v1/files/".length());
            Long size = sizes.get(id);
            if (size == null) {
                send(ex, 404, "{\"error\":{\"code\":\"NOT_FOUND\",\"message\":\"no such file\"}}");
            } else {
                send(ex, 200, metadata(id, size));
            }
        } else {
            send(ex, 405, "{\"error\":{\"code\":\"VALIDATION_ERROR\",\"message\":\"method\"}}");
        }
    }

    /** Counts the payload: the body minus the part headers (up to the first blank line) and the closing boundary. */
    private void upload(HttpExchange ex) throws IOException {
        byte[] body = ex.getRequestBody().readAllBytes();
        if (failUploads) {
            send(ex, 500, "{\"error\":{\"code\":\"INTERNAL_ERROR\",\"message\":\"failing on purpose\"}}");
            return;
        }
        String boundary = ex.getRequestHeaders().getFirst("Content-Type").replaceFirst(".*boundary=", "");
        String text = new String(body, StandardCharsets.ISO_8859_1);
        String closing = "\r\n--" + boundary + "--\r\n";
        int headerEnd = text.indexOf("\r\n\r\n");
        if (!text.startsWith("--" + boundary + "\r\n") || headerEnd < 0 || !text.endsWith(closing)
                || !text.substring(0, headerEnd).contains("name=\"file\"; filename=")) {
            send(ex, 400, "{\"error\":{\"code\":\"VALIDATION_ERROR\",\"message\":\"bad multipart\"}}");
            return;
        }
        long payload = body.length - (headerEnd + 4) - closing.length();
        String id = UUID.randomUUID().toString();
        sizes.put(id, payload);
        order.add(id);
        uploads.incrementAndGet();
        uploadPayloadBytes.addAndGet(payload);
        send(ex, 201, metadata(id, payload));
    }

    private void list(HttpExchange ex) throws IOException {
        Map<String, String> q = query(ex.getRequestURI().getRawQuery());
        int limit = Integer.parseInt(q.getOrDefault("limit", "100"));
        int offset = Integer.parseInt(q.getOrDefault("offset", "0"));
        listOffsets.add((long) offset);
        List<String> items = new ArrayList<>();
        for (int i = offset; i < Math.min(order.size(), offset + limit); i++) {
            items.add(metadata(order.get(i), sizes.get(order.get(i))));
        }
        boolean hasMore = offset + items.size() < order.size();
        send(ex, 200, "{\"items\":[" + String.join(",", items) + "],\"total\":" + order.size() + ",\"limit\":" + limit
                + ",\"offset\":" + offset + ",\"has_more\":" + hasMore + "}");
    }

    private void dav(HttpExchange ex) throws IOException {
        String name = ex.getRequestURI().getPath().substring("/dav/".length());
        if (ex.getRequestMethod().equals("PUT")) {
            long n = ex.getRequestBody().transferTo(OutputStream.nullOutputStream());
            sizes.put(name, n);
            uploads.incrementAndGet();
            uploadPayloadBytes.addAndGet(n);
            ex.sendResponseHeaders(201, -1);
            ex.close();
        } else {
            sendBytes(ex, sizes.get(name));
        }
    }

    /** Sends the file's bytes (zeros), honouring a single {@code Range: bytes=a-b}. */
    private void sendBytes(HttpExchange ex, Long size) throws IOException {
        if (size == null) {
            send(ex, 404, "{\"error\":{\"code\":\"NOT_FOUND\",\"message\":\"no such file\"}}");
            return;
        }
        long length = size;
        int status = 200;
        String range = ex.getRequestHeaders().getFirst("Range");
        if (range != null) {
            Matcher m = RANGE.matcher(range);
            if (!m.matches()) {
                send(ex, 416, "{\"error\":{\"code\":\"INVALID_RANGE\",\"message\":\"range\"}}");
                return;
            }
            long first = Long.parseLong(m.group(1));
            long last = Math.min(Long.parseLong(m.group(2)), size - 1);
            length = last - first + 1;
            status = 206;
            rangeRequests.incrementAndGet();
            ex.getResponseHeaders().add("Content-Range", "bytes " + first + "-" + last + "/" + size);
        }
        ex.sendResponseHeaders(status, length);
        try (OutputStream out = ex.getResponseBody()) {
            byte[] chunk = new byte[8192];
            for (long left = length; left > 0; left -= Math.min(left, chunk.length)) {
                int n = (int) Math.min(left, chunk.length);
                // counted before the bytes can reach the client, so a finished client never sees a stale count
                downloadBytesSent.addAndGet(n);
                out.write(chunk, 0, n);
            }
        }
    }

    private static String metadata(String id, long size) {
        return "{\"file_id\":\"" + id + "\",\"original_filename\":\"f.bin\",\"content_type\":\"application/octet-stream\","
                + "\"size\":" + size + ",\"checksum\":\"0\",\"uploaded_by\":\"loadgen\",\"uploaded_at\":\"2025-01-01T00:00:00Z\","
                + "\"status\":\"active\",\"retention_policy\":\"permanent\",\"ttl_days\":null,\"expires_at\":null}";
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new ConcurrentHashMap<>();
        if (raw != null) {
            for (String kv : raw.split("&")) {
                String[] p = kv.split("=", 2);
                q.put(p[0], p.length > 1 ? p[1] : "");
            }
        }
        return q;
    }

    private static void send(HttpExchange ex, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody(); InputStream in = ex.getRequestBody()) {
            in.transferTo(OutputStream.nullOutputStream());
            out.write(bytes);
        }
    }
}
