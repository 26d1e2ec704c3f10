package io.artsore.se.api.multipart;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * One part of a multipart/form-data body. Its bytes are read straight from the request stream through
 * {@link #body()}; they are valid only until {@link MultipartReader#next()} is called again.
 */
public final class Part {
    /** RFC 7578 §4.4: a part without Content-Type is {@code text/plain}. */
    public static final String DEFAULT_CONTENT_TYPE = "text/plain";

    private final String name;
    private final String filename;
    private final String declaredContentType;
    private final Map<String, String> headers;
    private final InputStream body;

    Part(String name, String filename, String declaredContentType, Map<String, String> headers, InputStream body) {
        this.name = name;
        this.filename = filename;
        this.declaredContentType = declaredContentType;
        this.headers = Map.copyOf(headers);
        this.body = body;
    }

    /** The form field name ({@code name} parameter of Content-Disposition); never null. */
    public String name() {
        return name;
    }

    /**
     * The client's file name ({@code filename*} wins over {@code filename}), or null for a plain field.
     * Untrusted: it may contain path separators, {@code ..} or control characters; keep only a sanitised
     * base name.
     */
    public String filename() {
        return filename;
    }

    /** The part's Content-Type, {@link #DEFAULT_CONTENT_TYPE} when the part declares none. */
    public String contentType() {
        return declaredContentType == null ? DEFAULT_CONTENT_TYPE : declaredContentType;
    }

    /** The Content-Type header exactly as sent, if any (lets callers apply their own default). */
    public Optional<String> declaredContentType() {
        return Optional.ofNullable(declaredContentType);
    }

    /** All part headers, names lower-cased. */
    public Map<String, String> headers() {
        return headers;
    }

    /**
     * The part content, read directly from the request. Throws {@link MultipartException} (unchecked) from
     * {@code read} when the body turns out to be malformed or truncated. Closing it does nothing; unread
     * content is skipped by the next {@link MultipartReader#next()}.
     */
    public InputStream body() {
        return body;
    }

    /**
     * Reads the whole part as UTF-8 text (RFC 7578 §5.1.2 default), failing with {@link MultipartException}
     * when it is longer than {@code maxBytes} bytes or not valid UTF-8.
     */
    public String readText(int maxBytes) throws IOException {
        byte[] bytes = body.readNBytes(maxBytes);
        if (body.read() >= 0) {
            throw new MultipartException("form field '" + name + "' exceeds " + maxBytes + " bytes");
        }
        return Text.decodeStrict(bytes, StandardCharsets.UTF_8, "form field '" + name + "'");
    }
}
