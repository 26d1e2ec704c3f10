package io.artsore.se.api.multipart;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Manual throughput measurement of {@link MultipartReader} (not a test: timings are not asserted).
 * Run: {@code java -cp storage-element/target/classes:storage-element/target/test-classes:<deps>
 * io.artsore.se.api.multipart.MultipartThroughput [MiB per run] [runs]}.
 */
public final class MultipartThroughput {
    private static final String BOUNDARY = "----WebKitFormBoundary7MA4YWxkTrZu0gW";

    public static void main(String[] args) throws Exception {
        long mib = args.length > 0 ? Long.parseLong(args[0]) : 1024;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        byte[] block = new byte[1 << 20];
        new Random(1).nextBytes(block);
        byte[] sink = new byte[64 * 1024];
        for (int run = 1; run <= runs; run++) {
            long start = System.nanoTime();
            MultipartReader reader = new MultipartReader(new SyntheticUpload(block, mib), BOUNDARY, MultipartReader.Limits.DEFAULT);
            InputStream body = reader.next().orElseThrow().body();
            long total = 0;
            int n;
            while ((n = body.read(sink)) >= 0) {
                total += n;
            }
            reader.next();
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("run %d: %d MiB in %.3f s = %.2f GB/s%n", run, total >> 20, seconds, total / seconds / 1e9);
        }
    }

    /** A multipart body with one file part of {@code mib} MiB, generated on the fly (never held in memory). */
    private static final class SyntheticUpload extends InputStream {
        private final byte[] head = ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        private final byte[] tail = ("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        private final byte[] block;
        private final long contentLength;
        private long pos;

        SyntheticUpload(byte[] block, long mib) {
            this.block = block;
            this.contentLength = mib << 20;
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            long total = head.length + contentLength + tail.length;
            if (pos >= total) {
                return -1;
            }
            int n;
            if (pos < head.length) {
                n = Math.min(len, head.length - (int) pos);
                System.arraycopy(head, (int) pos, b, off, n);
            } else if (pos < head.length + contentLength) {
                long c = pos - head.length;
                int inBlock = (int) (c % block.length);
                n = (int) Math.min(Math.min(len, block.length - inBlock), head.length + contentLength - pos);
                System.arraycopy(block, inBlock, b, off, n);
            } else {
                int t = (int) (pos - head.length - contentLength);
                n = Math.min(len, tail.length - t);
                System.arraycopy(tail, t, b, off, n);
            }
            pos += n;
            return n;
        }
    }
}
