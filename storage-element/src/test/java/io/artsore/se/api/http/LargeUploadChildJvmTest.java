package io.artsore.se.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.artsore.se.testing.TestIssuer;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A generated upload far larger than the server's heap (child JVM with -Xmx256m) streams through: 201 with
 * the checksum the client computed while sending, then a streamed download with the same hash. Nothing of
 * the content is ever held in memory or stored in the repository.
 */
class LargeUploadChildJvmTest {
    private static final Logger LOG = Logger.getLogger(LargeUploadChildJvmTest.class.getName());
    private static final long MiB = 1L << 20;

    @TempDir
    Path root;

    /**
     * 2 GiB takes about 15 s here (upload ~9 s, download ~6 s), well within a normal test run, so it is not
     * tagged as a separate "large" group.
     */
    @Test
    void streams2GiBThroughA256MiBHeap() throws Exception {
        roundTrip(2048 * MiB);
    }

    private void roundTrip(long size) throws Exception {
        try (TestIssuer issuer = new TestIssuer();
             ChildServer server = ChildServer.start(root, issuer, "256m", Map.of(
                     "SE_MAX_FILE_SIZE", String.valueOf(3072 * MiB),
                     "SE_MAX_CAPACITY", String.valueOf(4096 * MiB)))) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String boundary = "b-" + UUID.randomUUID();
            byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.bin\"\r\n"
                    + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
            GeneratedContent content = new GeneratedContent(size);

            long t0 = System.nanoTime();
            HttpResponse<byte[]> created = http.send(HttpRequest.newBuilder(server.uri("/api/v1/files/upload"))
                    .header("Authorization", "Bearer " + issuer.token("alice", "files:write", "files:read"))
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() ->
                            new SequenceInputStream(new SequenceInputStream(new java.io.ByteArrayInputStream(head),
                                    content), new java.io.ByteArrayInputStream(tail))),
                            head.length + size + tail.length))
                    .timeout(Duration.ofMinutes(15)).build(), HttpResponse.BodyHandlers.ofByteArray());
            long uploadMs = (System.nanoTime() - t0) / 1_000_000;
            assertThat(created.statusCode()).as(new String(created.body())).isEqualTo(201);
            JsonNode meta = HttpTestSupport.json(created);
            assertThat(meta.path("size").asLong()).isEqualTo(size);
            assertThat(meta.path("checksum").asText()).isEqualTo(content.sha256());
            long peakAfterUpload = server.peakRssKib();

            long t1 = System.nanoTime();
            HttpResponse<InputStream> download = http.send(HttpRequest.newBuilder(
                            server.uri("/api/v1/files/" + meta.path("file_id").asText() + "/download"))
                    .header("Authorization", "Bearer " + issuer.token("alice", "files:read")).GET()
                    .timeout(Duration.ofMinutes(15)).build(), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(download.statusCode()).isEqualTo(200);
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            long received = 0;
            try (InputStream in = download.body()) {
                byte[] buf = new byte[256 * 1024];
                for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                    digest.update(buf, 0, n);
                    received += n;
                }
            }
            long downloadMs = (System.nanoTime() - t1) / 1_000_000;
            assertThat(received).isEqualTo(size);
            assertThat(HexFormat.of().formatHex(digest.digest())).isEqualTo(content.sha256());
            assertThat(server.isAlive()).isTrue();
            LOG.info(String.format(Locale.ROOT, "large upload %d MiB: upload %d ms, download %d ms, server -Xmx256m, "
                    + "peak RSS after upload %d KiB, after download %d KiB", size / MiB, uploadMs, downloadMs,
                    peakAfterUpload, server.peakRssKib()));
        }
    }

    /** Pseudo-random bytes generated on the fly, hashed as they are handed out. */
    static final class GeneratedContent extends InputStream {
        private final long size;
        private final MessageDigest digest;
        private long produced;
        private long state = 0x9E3779B97F4A7C15L;
        private String sha256;

        GeneratedContent(long size) throws Exception {
            this.size = size;
            this.digest = MessageDigest.getInstance("SHA-256");
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (produced >= size) {
                return -1;
            }
            int n = (int) Math.min(len, size - produced);
            for (int i = 0; i < n; i++) {
                if ((i & 7) == 0) {
                    state ^= state << 13;
                    state ^= state >>> 7;
                    state ^= state << 17;
                }
                b[off + i] = (byte) (state >>> ((i & 7) << 3));
            }
            digest.update(b, off, n);
            produced += n;
            return n;
        }

        /** The hash of everything handed out; valid once the whole content was read. */
        String sha256() {
            if (sha256 == null) {
                if (produced != size) {
                    throw new IllegalStateException("content not fully read: " + produced + " of " + size);
                }
                sha256 = HexFormat.of().formatHex(digest.digest());
            }
            return sha256;
        }
    }
}
