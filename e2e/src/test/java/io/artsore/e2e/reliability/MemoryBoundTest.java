package io.artsore.e2e.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Security review M6: per-request memory is bounded. An element with a small heap and
 * {@code -XX:+ExitOnOutOfMemoryError} (as in the image) holds a store of files with the largest metadata a
 * client may attach, while clients that send a request and then read nothing hold open many {@code limit=10000}
 * list pages and downloads of a large file at once. The element must stay up and answer correctly afterwards.
 * Before the fix each list page was built as one {@code byte[]} (13 MB of JSON here) and each download held 256 KiB,
 * which killed the process.
 */
class MemoryBoundTest {
    private static final int FILES = 2_000;
    private static final int STALLED_LISTS = 24;
    private static final int STALLED_DOWNLOADS = 150;
    private static final long HOLD_MILLIS = 8_000;
    /** Far more than the loopback socket buffers take, so a download that is not read stays in progress. */
    private static final int BIG_FILE_BYTES = 12 << 20;
    private static final String DESCRIPTION = "ж".repeat(1000);
    /** 100 tags of 40 characters: within the 4 KiB total (MetadataLimits), as large as a client may send. */
    private static final String TAGS = IntStream.range(0, 100).mapToObj(i -> "\"" + String.format("%040d", i) + "\"")
            .collect(Collectors.joining(",", "[", "]"));

    @TempDir
    Path root;

    @Test
    void stalledListPagesAndDownloadsDoNotExhaustASmallHeap() throws Exception {
        try (TokenForge forge = new TokenForge();
             SeChild se = new SeChild(root, forge, Map.of()).jvmArg("-Xmx96m").jvmArg("-XX:+ExitOnOutOfMemoryError")
                     .start()) {
            SeClient client = new SeClient(se.url(), java.time.Duration.ofSeconds(60));
            String token = forge.token("memory", "files:read", "files:write");
            byte[] big = new byte[BIG_FILE_BYTES];
            new Random(6).nextBytes(big);
            HttpResponse<byte[]> bigUpload = client.upload(token, "big.bin", big, Map.of());
            assertThat(bigUpload.statusCode()).isEqualTo(201);
            String bigId = SeClient.json(bigUpload).get("file_id").asText();
            populate(client, token);

            List<Socket> stalled = new ArrayList<>();
            try {
                for (int i = 0; i < STALLED_LISTS; i++) {
                    stalled.add(sendAndReadNothing(se, "/api/v1/files?limit=10000", token));
                }
                for (int i = 0; i < STALLED_DOWNLOADS; i++) {
                    stalled.add(sendAndReadNothing(se, "/api/v1/files/" + bigId + "/download", token));
                }
                long deadline = System.nanoTime() + HOLD_MILLIS * 1_000_000;
                while (System.nanoTime() < deadline && se.isAlive()) {
                    Thread.sleep(200);
                }
                assertThat(se.isAlive()).as("element alive while the requests stall:\n%s", se.logTail()).isTrue();
            } finally {
                for (Socket s : stalled) {
                    s.close();
                }
            }

            HttpResponse<byte[]> page = client.get("/api/v1/files?limit=10000", token);
            assertThat(page.statusCode()).isEqualTo(200);
            JsonNode list = SeClient.json(page);
            assertThat(list.get("total").asLong()).isEqualTo(FILES + 1);
            assertThat(list.get("items").size()).isEqualTo(FILES + 1);
            assertThat(list.get("items").get(FILES).get("description").asText()).isEqualTo(DESCRIPTION);
            HttpResponse<byte[]> download = client.get("/api/v1/files/" + bigId + "/download", token);
            assertThat(download.statusCode()).isEqualTo(200);
            assertThat(download.body()).isEqualTo(big);
            assertThat(se.isAlive()).isTrue();
            assertThat(Files.readString(se.log())).doesNotContain("OutOfMemoryError");
            new Summary("memory-bound").put("files", FILES).put("stalled_lists", STALLED_LISTS)
                    .put("stalled_downloads", STALLED_DOWNLOADS).put("page_bytes", page.body().length).print();
        }
    }

    @Test
    void downloadsBeyondTheBufferBudgetWaitThenGetA503WithRetryAfter() throws Exception {
        // -Xmx32m: a budget of 8 MiB, 64 download chunks of 128 KiB; the other stalled downloads wait 10 s
        int downloads = 96;
        try (TokenForge forge = new TokenForge();
             SeChild se = new SeChild(root, forge, Map.of()).jvmArg("-Xmx32m").jvmArg("-XX:+ExitOnOutOfMemoryError")
                     .start()) {
            SeClient client = new SeClient(se.url(), java.time.Duration.ofSeconds(60));
            String token = forge.token("memory", "files:read", "files:write");
            byte[] big = new byte[BIG_FILE_BYTES];
            HttpResponse<byte[]> upload = client.upload(token, "big.bin", big, Map.of());
            assertThat(upload.statusCode()).isEqualTo(201);
            String id = SeClient.json(upload).get("file_id").asText();
            List<Socket> stalled = new ArrayList<>();
            int streaming = 0;
            int busy = 0;
            try {
                for (int i = 0; i < downloads; i++) {
                    stalled.add(sendAndReadNothing(se, "/api/v1/files/" + id + "/download", token));
                }
                for (Socket s : stalled) {
                    s.setSoTimeout(60_000); // a guard: the refusal comes after the element's 10 s wait
                    String head = readHead(s);
                    if (head.startsWith("HTTP/1.1 200")) {
                        streaming++;
                    } else {
                        assertThat(head).startsWith("HTTP/1.1 503").containsIgnoringCase("\r\nRetry-After: 1\r\n")
                                .contains("\"SERVER_BUSY\"");
                        busy++;
                    }
                }
            } finally {
                for (Socket s : stalled) {
                    s.close();
                }
            }
            assertThat(busy).as("refused once the budget stayed full").isPositive();
            assertThat(streaming).as("served within the budget").isPositive();
            HttpResponse<byte[]> again = client.get("/api/v1/files/" + id + "/download", token);
            assertThat(again.statusCode()).isEqualTo(200);
            assertThat(again.body()).isEqualTo(big);
            assertThat(se.isAlive()).isTrue();
            new Summary("memory-budget").put("downloads", downloads).put("streaming", streaming).put("busy_503", busy)
                    .print();
        }
    }

    /** The status line and headers, plus whatever part of a small body came with them. */
    private static String readHead(Socket s) throws IOException {
        byte[] buf = new byte[4096];
        StringBuilder head = new StringBuilder();
        var in = s.getInputStream();
        while (head.indexOf("\r\n\r\n") < 0) {
            int n = in.read(buf);
            if (n < 0) {
                break;
            }
            head.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
        }
        return head.toString();
    }

    private static void populate(SeClient client, String token) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < FILES; i++) {
                int n = i;
                statuses.add(pool.submit(() -> client.upload(token, "f" + n + ".txt", new byte[] {(byte) n},
                        Map.of("description", DESCRIPTION, "tags", TAGS)).statusCode()));
            }
            for (Future<Integer> status : statuses) {
                assertThat(status.get()).isEqualTo(201);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** A request whose answer is never read: the server's write blocks once the socket buffers are full. */
    private static Socket sendAndReadNothing(SeChild se, String path, String token) throws IOException {
        Socket s = new Socket();
        s.setReceiveBufferSize(4096); // before connecting, so the TCP window stays small
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), se.port()));
        OutputStream out = s.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return s;
    }
}
