package io.artsore.se.api.multipart;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Streaming RFC 7578 multipart/form-data reader. Nothing is buffered beyond one 64 KiB window: the bytes of a
 * part are handed to the caller through {@link Part#body()} straight from the request stream.
 *
 * <p>Strictness (every violation is a {@link MultipartException}): the body must contain a closing delimiter
 * ({@code --boundary--}); a delimiter line may carry transport padding (spaces/tabs) but must end with CRLF;
 * {@code CRLF--boundary} followed by anything else is rejected (RFC 2046 forbids the delimiter inside
 * content, so such a body is ambiguous); header lines must end with CRLF and contain a colon; every part needs
 * {@code Content-Disposition: form-data; name=...}. A preamble before the first delimiter is skipped but may
 * be at most {@link Limits#maxHeaderBytes()} long; the epilogue after the closing delimiter is not read.
 * Header bytes are decoded as UTF-8 (what browsers send), falling back to ISO-8859-1 when not valid UTF-8.
 *
 * <p>Not thread-safe; one reader per request.
 */
public final class MultipartReader {
    private static final int BUFFER_SIZE = 64 * 1024;
    private static final int MAX_TRANSPORT_PADDING = 256;
    private static final String BCHARS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'()+_,-./:=? ";

    /**
     * @param maxHeaderBytes limit of one part's header block (and of the preamble), in bytes
     * @param maxParts       limit of the number of parts
     */
    public record Limits(int maxHeaderBytes, int maxParts) {
        public static final Limits DEFAULT = new Limits(16 * 1024, 16);

        public Limits {
            if (maxHeaderBytes <= 0 || maxParts <= 0) {
                throw new IllegalArgumentException("multipart limits must be positive");
            }
        }
    }

    private enum State { BEFORE_FIRST, IN_PART, AFTER_DELIMITER, DONE }

    private final InputStream in;
    private final Limits limits;
    private final DelimiterSearch delimiter;
    private final byte[] buf = new byte[BUFFER_SIZE];
    private int pos;
    private int lim;
    /** Bytes in [pos, dataEnd) are content of the current part (no delimiter starts before dataEnd). */
    private int dataEnd;
    /** Whether a full delimiter starts at dataEnd. */
    private boolean delimiterAtDataEnd;
    private State state = State.BEFORE_FIRST;
    private int partCount;
    private PartBody current;

    public MultipartReader(InputStream body, String boundary, Limits limits) {
        this.in = Objects.requireNonNull(body, "body");
        this.limits = Objects.requireNonNull(limits, "limits");
        validateBoundary(boundary);
        this.delimiter = new DelimiterSearch(("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII));
        // The first delimiter may start the body without a preceding CRLF: pretend there is one.
        buf[0] = '\r';
        buf[1] = '\n';
        lim = 2;
    }

    /**
     * Extracts the boundary from a request's Content-Type, which must be {@code multipart/form-data} with a
     * valid RFC 2046 boundary (1..70 characters from the bchars set, not ending with a space).
     */
    public static String boundaryOf(String contentTypeHeader) {
        if (contentTypeHeader == null) {
            throw new MultipartException("Content-Type must be multipart/form-data");
        }
        HeaderParams contentType = HeaderParams.parse(contentTypeHeader);
        if (!contentType.value().equals("multipart/form-data")) {
            throw new MultipartException("Content-Type must be multipart/form-data");
        }
        String boundary = contentType.params().get("boundary");
        validateBoundary(boundary);
        return boundary;
    }

    private static void validateBoundary(String boundary) {
        if (boundary == null || boundary.isEmpty() || boundary.length() > 70 || boundary.endsWith(" ")) {
            throw new MultipartException("missing or invalid multipart boundary");
        }
        for (int i = 0; i < boundary.length(); i++) {
            if (BCHARS.indexOf(boundary.charAt(i)) < 0) {
                throw new MultipartException("missing or invalid multipart boundary");
            }
        }
    }

    /**
     * Advances to the next part, skipping whatever the caller left unread of the previous one.
     *
     * @return the next part, or empty after the closing delimiter
     * @throws MultipartException on malformed or truncated input or when a limit is exceeded
     * @throws IOException        when reading the request fails
     */
    public Optional<Part> next() throws IOException {
        switch (state) {
            case BEFORE_FIRST -> skipPreamble();
            case IN_PART -> current.skipRest();
            case DONE -> {
                return Optional.empty();
            }
            case AFTER_DELIMITER -> { }
        }
        if (readDelimiterTail()) {
            state = State.DONE;
            return Optional.empty();
        }
        if (++partCount > limits.maxParts()) {
            throw new MultipartException("too many multipart parts (limit " + limits.maxParts() + ")");
        }
        Part part = readPartHeaders();
        state = State.IN_PART;
        return Optional.of(part);
    }

    private void skipPreamble() throws IOException {
        startScan();
        long skipped = 0;
        int n;
        while ((n = readData(null, 0, Integer.MAX_VALUE)) >= 0) {
            skipped += n;
            if (skipped > limits.maxHeaderBytes() + 2L) { // +2: the CRLF we prepended
                throw new MultipartException("no multipart boundary found at the start of the body");
            }
        }
        state = State.AFTER_DELIMITER;
    }

    /** After {@code CRLF--boundary}: returns true for the closing {@code --}, false for padding + CRLF. */
    private boolean readDelimiterTail() throws IOException {
        int b = readByte();
        if (b == '-') {
            if (readByte() == '-') {
                return true;
            }
            throw new MultipartException("malformed multipart delimiter");
        }
        int padding = 0;
        while (b == ' ' || b == '\t') {
            if (++padding > MAX_TRANSPORT_PADDING) {
                throw new MultipartException("malformed multipart delimiter");
            }
            b = readByte();
        }
        if (b != '\r' || readByte() != '\n') {
            throw new MultipartException(b < 0 ? "truncated multipart body" : "malformed multipart delimiter");
        }
        return false;
    }

    private Part readPartHeaders() throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line : readHeaderLines()) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new MultipartException("malformed part header");
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            if (name.isEmpty() || name.indexOf(' ') >= 0 || name.indexOf('\t') >= 0) {
                throw new MultipartException("malformed part header");
            }
            if (headers.putIfAbsent(name, line.substring(colon + 1).trim()) != null) {
                throw new MultipartException("repeated part header '" + name + "'");
            }
        }
        String disposition = headers.get("content-disposition");
        if (disposition == null) {
            throw new MultipartException("part without Content-Disposition");
        }
        HeaderParams cd = HeaderParams.parse(disposition);
        String name = cd.params().get("name");
        if (!cd.value().equals("form-data") || name == null) {
            throw new MultipartException("part Content-Disposition must be form-data with a name");
        }
        String filename = filename(cd.params());
        String contentType = headers.get("content-type");
        current = new PartBody();
        startScan();
        return new Part(name, filename, contentType == null || contentType.isEmpty() ? null : contentType,
                headers, current);
    }

    /**
     * RFC 7578 §4.2 forbids {@code filename*} in a form, yet some clients send it; alone it is accepted. Beside a
     * {@code filename} that says something else it is refused: a scanner in front of the element that reads one
     * and the element that stores the other would disagree about the file (security review I3).
     */
    private static String filename(Map<String, String> params) {
        String plain = params.get("filename");
        String ext = params.get("filename*");
        if (ext == null) {
            return plain;
        }
        String decoded = HeaderParams.decodeExtValue(ext);
        if (plain != null && !plain.equals(decoded)) {
            throw new MultipartException("filename and filename* name different files");
        }
        return decoded;
    }

    /** Reads the header block up to the empty line, unfolding obsolete line folding. */
    private List<String> readHeaderLines() throws IOException {
        List<String> lines = new ArrayList<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int total = 0;
        while (true) {
            int b = readByte();
            if (b < 0) {
                throw new MultipartException("truncated multipart body");
            }
            if (++total > limits.maxHeaderBytes()) {
                throw new MultipartException("part headers exceed " + limits.maxHeaderBytes() + " bytes");
            }
            if (b == '\r') {
                if (readByte() != '\n') {
                    throw new MultipartException("malformed part header");
                }
                total++;
                if (line.size() == 0) {
                    return lines;
                }
                String text = decodeHeader(line.toByteArray());
                if (text.charAt(0) == ' ' || text.charAt(0) == '\t') {
                    if (lines.isEmpty()) {
                        throw new MultipartException("malformed part header");
                    }
                    lines.set(lines.size() - 1, lines.getLast() + " " + text.trim());
                } else {
                    lines.add(text);
                }
                line.reset();
            } else if (b == '\n' || b == 0) {
                throw new MultipartException("malformed part header");
            } else {
                line.write(b);
            }
        }
    }

    private static String decodeHeader(byte[] bytes) {
        try {
            return Text.decodeStrict(bytes, StandardCharsets.UTF_8, "header");
        } catch (MultipartException notUtf8) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }

    /** Begins looking for the next delimiter at the current position. */
    private void startScan() {
        dataEnd = pos;
        delimiterAtDataEnd = false;
        scan();
    }

    private void scan() {
        int at = delimiter.indexOf(buf, dataEnd, lim);
        if (at >= 0) {
            dataEnd = at;
            delimiterAtDataEnd = true;
        } else {
            // The last length-1 bytes may be the start of a delimiter: keep them until more data arrives.
            dataEnd = Math.max(dataEnd, lim - delimiter.length() + 1);
        }
    }

    /**
     * Copies (or, with {@code dst == null}, skips) content bytes up to the next delimiter.
     *
     * @return bytes copied/skipped, or -1 once the delimiter is reached (it is then consumed)
     */
    private int readData(byte[] dst, int off, int len) throws IOException {
        while (true) {
            if (pos < dataEnd) {
                int n = Math.min(len, dataEnd - pos);
                if (dst != null) {
                    System.arraycopy(buf, pos, dst, off, n);
                }
                pos += n;
                return n;
            }
            if (delimiterAtDataEnd) {
                pos += delimiter.length();
                delimiterAtDataEnd = false;
                return -1;
            }
            if (!fill()) {
                throw new MultipartException("truncated multipart body: closing boundary missing");
            }
            scan();
        }
    }

    private int readByte() throws IOException {
        if (pos == lim && !fill()) {
            return -1;
        }
        return buf[pos++] & 0xff;
    }

    /** Moves the unread bytes to the front and reads more; false at end of stream. */
    private boolean fill() throws IOException {
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            lim -= pos;
            dataEnd -= pos;
            pos = 0;
        }
        int n;
        do {
            n = in.read(buf, lim, buf.length - lim);
        } while (n == 0);
        if (n < 0) {
            return false;
        }
        lim += n;
        return true;
    }

    /** The content stream of the current part; dead once the reader moved on. */
    private final class PartBody extends InputStream {
        private final byte[] single = new byte[1];
        private boolean finished;

        @Override
        public int read() throws IOException {
            int n = read(single, 0, 1);
            return n < 0 ? -1 : single[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (finished || current != this) {
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            int n = readData(b, off, len);
            if (n < 0) {
                finish();
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            if (finished || current != this || n <= 0) {
                return 0;
            }
            int skipped = readData(null, 0, (int) Math.min(n, Integer.MAX_VALUE));
            if (skipped < 0) {
                finish();
                return 0;
            }
            return skipped;
        }

        @Override
        public int available() {
            return finished || current != this ? 0 : Math.max(0, dataEnd - pos);
        }

        void skipRest() throws IOException {
            while (!finished) {
                if (readData(null, 0, Integer.MAX_VALUE) < 0) {
                    finish();
                }
            }
        }

        private void finish() {
            finished = true;
            state = State.AFTER_DELIMITER;
        }
    }
}
