package io.artsore.se.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Builds multipart/form-data bodies for tests, including deliberately odd ones. */
public final class MultipartBody {
    private final String boundary = "b-" + UUID.randomUUID();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public MultipartBody file(String filename, String contentType, byte[] content) {
        return part("file", filename, contentType, content);
    }

    public MultipartBody field(String name, String value) {
        return part(name, null, null, value.getBytes(StandardCharsets.UTF_8));
    }

    public MultipartBody part(String name, String filename, String contentType, byte[] content) {
        StringBuilder h = new StringBuilder("--").append(boundary).append("\r\n")
                .append("Content-Disposition: form-data; name=\"").append(name).append('"');
        if (filename != null) {
            h.append("; filename=\"").append(filename.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        h.append("\r\n");
        if (contentType != null) {
            h.append("Content-Type: ").append(contentType).append("\r\n");
        }
        h.append("\r\n");
        out.writeBytes(h.toString().getBytes(StandardCharsets.UTF_8));
        out.writeBytes(content);
        out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** A part with this exact {@code Content-Disposition} value and no Content-Type. */
    public MultipartBody rawPart(String contentDisposition, byte[] content) {
        out.writeBytes(("--" + boundary + "\r\nContent-Disposition: " + contentDisposition + "\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        out.writeBytes(content);
        out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        return this;
    }

    public String contentType() {
        return "multipart/form-data; boundary=" + boundary;
    }

    public byte[] build() {
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        copy.writeBytes(out.toByteArray());
        copy.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return copy.toByteArray();
    }

    /** The body without its closing delimiter: a truncated upload. */
    public byte[] buildTruncated() {
        return out.toByteArray();
    }
}
