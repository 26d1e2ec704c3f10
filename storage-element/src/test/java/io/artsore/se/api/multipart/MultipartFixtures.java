package io.artsore.se.api.multipart;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Builds multipart bodies and reads them back, for the multipart tests. */
final class MultipartFixtures {
    private MultipartFixtures() {
    }

    record TestPart(String name, String filename, String contentType, byte[] content) {
    }

    record ReadPart(String name, String filename, String contentType, byte[] content) {
    }

    static byte[] body(String boundary, List<TestPart> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (TestPart p : parts) {
            write(out, "--" + boundary + "\r\n");
            String cd = "Content-Disposition: form-data; name=\"" + p.name() + "\"";
            if (p.filename() != null) {
                cd += "; filename=\"" + p.filename() + "\"";
            }
            write(out, cd + "\r\n");
            if (p.contentType() != null) {
                write(out, "Content-Type: " + p.contentType() + "\r\n");
            }
            write(out, "\r\n");
            out.writeBytes(p.content());
            write(out, "\r\n");
        }
        write(out, "--" + boundary + "--\r\n");
        return out.toByteArray();
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads every part fully, reading each body with the given stream. */
    static List<ReadPart> readAll(InputStream in, String boundary, MultipartReader.Limits limits) throws IOException {
        MultipartReader reader = new MultipartReader(in, boundary, limits);
        List<ReadPart> result = new ArrayList<>();
        var next = reader.next();
        while (next.isPresent()) {
            Part p = next.get();
            result.add(new ReadPart(p.name(), p.filename(), p.declaredContentType().orElse(null), p.body().readAllBytes()));
            next = reader.next();
        }
        return result;
    }

    static List<ReadPart> readAll(byte[] body, String boundary) throws IOException {
        return readAll(new java.io.ByteArrayInputStream(body), boundary, MultipartReader.Limits.DEFAULT);
    }

    /** An input stream that hands out its bytes in random small pieces, like a slow network. */
    static final class ChoppyInputStream extends InputStream {
        private final byte[] data;
        private final Random random;
        private final int maxChunk;
        private int pos;

        ChoppyInputStream(byte[] data, long seed, int maxChunk) {
            this.data = data;
            this.random = new Random(seed);
            this.maxChunk = maxChunk;
        }

        @Override
        public int read() {
            return pos < data.length ? data[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= data.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, data.length - pos), 1 + random.nextInt(maxChunk));
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }
    }
}
