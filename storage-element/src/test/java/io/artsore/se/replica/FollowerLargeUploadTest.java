package io.artsore.se.replica;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.artsore.se.testing.TestIssuer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A large upload through a follower whose heap is capped far below the file size: it only succeeds if the proxy
 * streams the body to the leader instead of buffering it. The content is generated on the fly on both sides (no
 * copy in the test's memory) and checked by SHA-256, also when downloaded back through the follower.
 * Size: {@code -Dse.replica.largeUploadBytes} (default 1 GiB).
 */
class FollowerLargeUploadTest {
    static final long SIZE = Long.getLong("se.replica.largeUploadBytes", 1L << 30);
    static final List<String> CAPPED_HEAP = List.of("-Xmx256m");

    @TempDir
    Path root;

    /** Deterministic pseudo-random bytes (xorshift), streamed. */
    static final class GeneratedContent extends InputStream {
        private long remaining;
        private long state = 0x9E3779B97F4A7C15L;
        private final byte[] block = new byte[8];
        private int blockPos = 8;

        GeneratedContent(long size) {
            this.remaining = size;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (remaining == 0) {
                return -1;
            }
            int n = (int) Math.min(len, remaining);
            for (int i = 0; i < n; i++) {
                if (blockPos == 8) {
                    state ^= state << 13;
                    state ^= state >>> 7;
                    state ^= state << 17;
                    for (int k = 0; k < 8; k++) {
                        block[k] = (byte) (state >>> (8 * k));
                    }
                    blockPos = 0;
                }
                b[off + i] = block[blockPos++];
            }
            remaining -= n;
            return n;
        }
    }

    static String sha256Of(InputStream in) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[1 << 16];
        for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
            md.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    @Test
    void aLargeUploadThroughAFollowerWithASmallHeapIsStreamedToTheLeader() throws Exception {
        String expected = sha256Of(new GeneratedContent(SIZE));
        try (TestIssuer issuer = new TestIssuer();
             ReplicaCluster cluster = new ReplicaCluster(root, issuer,
                     Map.of("SE_MAX_FILE_SIZE", Long.toString(Math.max(SIZE, 1L << 20))))) {
            cluster.startAll(2, CAPPED_HEAP);
            ReplicaCluster.Replica leader = cluster.awaitLeader(Duration.ofSeconds(15));
            ReplicaCluster.Replica follower = cluster.followers(leader).get(0);
            new ReplicaHttpWait(cluster).untilLeaderKnown(follower, Duration.ofSeconds(5));

            String boundary = "large-boundary";
            byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.bin\"\r\n"
                    + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
            HttpRequest req = HttpRequest.newBuilder(follower.uri("/api/v1/files/upload"))
                    .header("Authorization", "Bearer " + cluster.token("files:write", "files:read"))
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(
                            () -> new SequenceInputStream(Collections.enumeration(List.of(
                                    new ByteArrayInputStream(head), new GeneratedContent(SIZE),
                                    new ByteArrayInputStream(tail))))), head.length + SIZE + tail.length))
                    .build();
            long started = System.nanoTime();
            HttpResponse<byte[]> res = cluster.http.send(req, HttpResponse.BodyHandlers.ofByteArray());
            double seconds = (System.nanoTime() - started) / 1e9;
            assertThat(res.statusCode()).as(new String(res.body(), StandardCharsets.UTF_8)).isEqualTo(201);
            JsonNode meta = ReplicaHttp.json(res);
            assertThat(meta.path("size").asLong()).isEqualTo(SIZE);
            assertThat(meta.path("checksum").asText()).isEqualTo(expected);
            System.out.printf("[measure] %d MiB upload through a follower with -Xmx256m: %.1f s (%.0f MiB/s)%n",
                    SIZE >> 20, seconds, (SIZE >> 20) / seconds);

            HttpResponse<InputStream> down = cluster.http.send(HttpRequest.newBuilder(
                            follower.uri("/api/v1/files/" + meta.path("file_id").asText() + "/download"))
                    .header("Authorization", "Bearer " + cluster.token("files:read")).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(down.statusCode()).isEqualTo(200);
            try (InputStream body = down.body()) {
                assertThat(sha256Of(body)).isEqualTo(expected);
            }
            assertThat(follower.alive()).isTrue();
        }
    }

    /** Waits until a follower has seen the leader (its readiness reports the leader check ok). */
    record ReplicaHttpWait(ReplicaCluster cluster) {
        void untilLeaderKnown(ReplicaCluster.Replica r, Duration timeout) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                String body = cluster.http.send(HttpRequest.newBuilder(r.uri("/health/ready")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                if (ReplicaHttp.JSON.readTree(body).path("checks").path("leader").path("status").asText().equals("ok")) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("follower " + r.index + " never saw a leader");
                }
                Thread.sleep(50);
            }
        }
    }
}
