package io.artsore.e2e.reliability;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Generates hostile HTTP/1.1 requests as raw bytes: a valid-looking base (method, path, headers, body) with
 * random damage. Never targets files by their real ids with write tokens, so stored data must stay unchanged.
 */
final class FuzzRequests {
    /** One request; {@code truncated} means the stream is cut and half-closed. */
    record Request(byte[] bytes, boolean truncated) {
        String describe() {
            String text = new String(bytes, 0, Math.min(bytes.length, 300), StandardCharsets.ISO_8859_1);
            return (truncated ? "[truncated] " : "") + text.replace("\r", "\\r").replace("\n", "\\n");
        }
    }

    private static final String[] METHODS = {"GET", "GET", "GET", "HEAD", "POST", "POST", "PUT", "PATCH", "DELETE",
        "OPTIONS", "TRACE", "CONNECT", "PROPFIND", "get", "G\u0000T", "", "GET GET", "ÄÖÜ"};
    private static final String[] PATHS = {"/api/v1/files", "/api/v1/files/upload", "/api/v1/files/%s",
        "/api/v1/files/%s/download", "/api/v1/info", "/api/v1/mode/transition", "/api/v1/maintenance/reconcile",
        "/health/live", "/health/ready", "/metrics", "/openapi", "/", "", "*", "//", "/../../etc/passwd",
        "/api/v1/files/..%2f..%2f..%2fetc%2fpasswd/download", "/api/v1/files/%2e%2e/%2e%2e/etc/passwd",
        "/api/v1/files/%00", "/api/v1/files/%s%00/download", "/api/v1/files/%s/download/../../../../etc/passwd",
        "/API/V1/FILES", "/api/v1/files?limit=%zz", "/api/v1/files?limit=99999999999999999999&offset=-1",
        "/api/v1/files?status=%00&status=x", "http://evil.example/api/v1/info", "/api/v1/files/%E2%80%AE",
        "/api/v1/files/\u00ff\u00fe", "/%", "/%%%", "/api/v1/files;jsessionid=1", "/api/v1/files#frag"};
    private static final String[] VERSIONS = {"HTTP/1.1", "HTTP/1.1", "HTTP/1.1", "HTTP/1.1", "HTTP/1.0", "HTTP/1.1"};

    private final List<String> tokens;

    FuzzRequests(List<String> tokens) {
        this.tokens = tokens;
    }

    Request next(Random r) {
        String method = pick(r, METHODS);
        String path = pickPath(r);
        StringBuilder head = new StringBuilder();
        head.append(method).append(' ').append(path).append(' ').append(pick(r, VERSIONS)).append("\r\n");
        if (r.nextInt(10) > 0) {
            head.append("Host: 127.0.0.1\r\n");
        }
        if (r.nextInt(20) == 0) {
            head.append("Host: other.example\r\n");
        }
        switch (r.nextInt(5)) {
            case 0 -> { }
            case 1 -> head.append("Authorization: Bearer ").append(tokens.get(r.nextInt(tokens.size()))).append("\r\n");
            case 2 -> head.append("Authorization: Bearer ").append(garbage(r, 1 + r.nextInt(600))).append("\r\n");
            case 3 -> head.append("Authorization: Basic YWRtaW46YWRtaW4=\r\n");
            default -> head.append("Authorization: Bearer ").append(tokens.get(r.nextInt(tokens.size())))
                    .append("\r\nAuthorization: Bearer x\r\n");
        }
        byte[] body = body(r, path);
        String contentType = pick(r, new String[] {SeClient.multipartType(), "application/json",
            "multipart/form-data", "multipart/form-data; boundary=", "text/plain", "multipart/form-data; boundary=\""
                + "a".repeat(100) + "\"", "", "application/json; charset=utf-16"});
        head.append("Content-Type: ").append(contentType).append("\r\n");
        addHeaderDamage(r, head);
        boolean chunked = r.nextInt(8) == 0;
        if (chunked) {
            head.append("Transfer-Encoding: chunked\r\n");
            body = chunked(r, body);
        } else {
            switch (r.nextInt(12)) {
                case 0 -> { } // no length at all
                case 1 -> head.append("Content-Length: ").append(body.length + 1 + r.nextInt(1000)).append("\r\n");
                case 2 -> head.append("Content-Length: ").append(Math.max(0, body.length - 1 - r.nextInt(100))).append("\r\n");
                case 3 -> head.append("Content-Length: -1\r\n");
                case 4 -> head.append("Content-Length: 99999999999999999999999\r\n");
                case 5 -> head.append("Content-Length: ").append(body.length).append("\r\nContent-Length: 3\r\n");
                case 6 -> head.append("Content-Length: 0x10\r\n");
                default -> head.append("Content-Length: ").append(body.length).append("\r\n");
            }
        }
        if (r.nextInt(3) > 0) {
            head.append("Connection: close\r\n");
        }
        head.append("\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
        out.writeBytes(body);
        byte[] bytes = out.toByteArray();
        boolean truncated = r.nextInt(6) == 0;
        if (truncated) {
            bytes = Arrays.copyOf(bytes, r.nextInt(bytes.length + 1));
        } else if (r.nextInt(10) == 0) {
            bytes = flipBytes(r, bytes);
        }
        return new Request(bytes, truncated);
    }

    private static String pickPath(Random r) {
        String path = pick(r, PATHS);
        if (path.contains("%s")) {
            path = path.replace("%s", r.nextInt(4) == 0 ? garbage(r, r.nextInt(40)) : new UUID(r.nextLong(), r.nextLong()).toString());
        }
        return switch (r.nextInt(10)) {
            case 0 -> path + "/" + garbage(r, r.nextInt(60));
            case 1 -> path + "?" + garbage(r, r.nextInt(80));
            case 2 -> "/" + "a/".repeat(r.nextInt(3000));
            case 3 -> path + percentGarbage(r, 1 + r.nextInt(30));
            default -> path;
        };
    }

    private static byte[] body(Random r, String path) {
        return switch (r.nextInt(6)) {
            case 0 -> new byte[0];
            case 1 -> SeClient.multipart(garbage(r, r.nextInt(50)).getBytes(StandardCharsets.UTF_8),
                    randomBytes(r, r.nextInt(20_000)), Map.of("description", garbage(r, r.nextInt(50))));
            case 2 -> flipBytes(r, SeClient.multipart("f.bin".getBytes(StandardCharsets.UTF_8),
                    randomBytes(r, r.nextInt(5000)), Map.of("tags", "[\"a\"]")));
            case 3 -> ("{\"description\":\"" + garbage(r, r.nextInt(30)) + "\",\"target_mode\":\"" + garbage(r, 3)
                    + "\",\"tags\":[1,{}]}").getBytes(StandardCharsets.UTF_8);
            case 4 -> randomBytes(r, r.nextInt(70_000));
            default -> ("{".repeat(r.nextInt(5000))).getBytes(StandardCharsets.UTF_8);
        };
    }

    private static void addHeaderDamage(Random r, StringBuilder head) {
        switch (r.nextInt(14)) {
            case 0 -> head.append("X-Huge: ").append("x".repeat(8_000 + r.nextInt(60_000))).append("\r\n");
            case 1 -> {
                for (int i = 0; i < 50 + r.nextInt(400); i++) {
                    head.append("X-Many-").append(i).append(": v\r\n");
                }
            }
            case 2 -> head.append("No colon here\r\n");
            case 3 -> head.append("X-Nul: a\u0000b\r\n");
            case 4 -> head.append("X-Folded: a\r\n b\r\n");
            case 5 -> head.append("Range: bytes=").append(garbage(r, 20)).append("\r\n");
            case 6 -> head.append("Range: bytes=0-0,").append("1-1,".repeat(2000)).append("\r\n");
            case 7 -> head.append("If-None-Match: ").append(garbage(r, 100)).append("\r\nIf-Modified-Since: ")
                    .append(garbage(r, 30)).append("\r\n");
            case 8 -> head.append(": empty-name\r\n");
            case 9 -> head.append("Expect: 100-continue\r\n");
            case 10 -> head.append("X-Utf8: \u202Eévil ☃\r\n");
            default -> { }
        }
    }

    private static byte[] chunked(Random r, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int off = 0;
        while (off < body.length) {
            int n = Math.min(body.length - off, 1 + r.nextInt(4096));
            String size = r.nextInt(30) == 0 ? garbage(r, 4) : Integer.toHexString(n);
            out.writeBytes((size + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body, off, n);
            out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            off += n;
        }
        if (r.nextInt(5) > 0) {
            out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        return out.toByteArray();
    }

    private static String garbage(Random r, int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            int kind = r.nextInt(10);
            sb.append((char) (kind < 6 ? 0x21 + r.nextInt(94) : kind < 8 ? r.nextInt(0x20) : 0x80 + r.nextInt(0x700)));
        }
        return sb.toString();
    }

    private static String percentGarbage(Random r, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append('%').append(String.format("%02X", r.nextInt(256)));
        }
        return sb.toString();
    }

    private static byte[] randomBytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    private static byte[] flipBytes(Random r, byte[] b) {
        byte[] c = b.clone();
        for (int i = 0; i < 1 + r.nextInt(5) && c.length > 0; i++) {
            c[r.nextInt(c.length)] = (byte) r.nextInt(256);
        }
        return c;
    }

    private static String pick(Random r, String[] values) {
        return values[r.nextInt(values.length)];
    }
}
