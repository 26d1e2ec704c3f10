package io.artsore.se.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.artsore.se.testing.MultipartBody;
import io.artsore.se.testing.SeTestServer;
import io.artsore.se.testing.TestIssuer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A follower's write endpoints against a fake leader: this test holds the leader lock itself (so the element
 * stays a follower) and keeps a {@code .leader.info} naming a recording HTTP server alive.
 */
class FollowerProxyHttpTest {
    @TempDir
    Path root;

    record Received(String method, String pathAndQuery, String authorization, String forwardedBy, byte[] body) {
    }

    TestIssuer issuer;
    SeTestServer se;
    HttpServer fakeLeader;
    FileChannel lockChannel;
    FileLock heldLock;
    final List<Received> received = new CopyOnWriteArrayList<>();
    final ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor();

    @BeforeEach
    void start() throws Exception {
        issuer = new TestIssuer();
        Path data = root.resolve("data");
        Files.createDirectories(data);
        lockChannel = FileChannel.open(data.resolve(LeaderLock.FILE_NAME), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        heldLock = lockChannel.tryLock();
        fakeLeader = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        fakeLeader.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst(LeaderProxy.FORWARDED_BY), body));
            byte[] answer = ("{\"leader_saw_bytes\":" + body.length + "}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.getResponseHeaders().set("X-From-Leader", "yes");
            exchange.sendResponseHeaders(207, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        fakeLeader.start();
        se = SeTestServer.start(root, issuer, Map.of("SE_REPLICA_MODE", "replicated",
                "SE_ELECTION_RETRY_INTERVAL", "100ms", "SE_LEADER_HEARTBEAT_INTERVAL", "100ms",
                "SE_ADVERTISED_ADDRESS", "127.0.0.1:1", "SE_MAX_FILE_SIZE", String.valueOf(8 << 20)));
    }

    @AfterEach
    void stop() throws Exception {
        heartbeat.shutdownNow();
        se.close();
        fakeLeader.stop(0);
        lockChannel.close();
        issuer.close();
    }

    /** Keeps .leader.info naming {@code address}, heartbeat moving. */
    void leaderAt(String address) {
        long since = System.currentTimeMillis();
        heartbeat.scheduleWithFixedDelay(() -> {
            try {
                new LeaderInfo(address, 5, since, System.currentTimeMillis()).write(root.resolve("data"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, 0, 100, TimeUnit.MILLISECONDS);
        await().atMost(Duration.ofSeconds(30)).until(() -> readyLeaderStatus().equals("ok"));
    }

    String readyLeaderStatus() throws Exception {
        HttpResponse<byte[]> r = se.send(se.request("/health/ready").build());
        return ReplicaHttp.JSON.readTree(r.body()).path("checks").path("leader").path("status").asText();
    }

    String fakeLeaderAddress() {
        return "127.0.0.1:" + fakeLeader.getAddress().getPort();
    }

    HttpRequest.Builder patch(String token) {
        HttpRequest.Builder b = se.request("/api/v1/files/" + UUID.randomUUID() + "?probe=1")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"description\":\"d\"}"))
                .header("Content-Type", "application/json");
        return token == null ? b : b.header("Authorization", "Bearer " + token);
    }

    /**
     * Security review H1: {@code .leader.info} lies on a shared volume; an address in it that is no sibling of
     * this replica (another host, any DNS name outside its headless domain) must never receive a forwarded write
     * with the client's token: the follower answers 503 as without a leader.
     */
    @Test
    void aLeaderFileNamingAnAddressOutsideThePeersGetsNoForwardedWrite() throws Exception {
        List<String> strangerSaw = new CopyOnWriteArrayList<>();
        HttpServer stranger = HttpServer.create(new InetSocketAddress("127.0.0.2", 0), 0);
        stranger.createContext("/", exchange -> {
            strangerSaw.add(exchange.getRequestHeaders().getFirst("Authorization"));
            exchange.sendResponseHeaders(201, -1);
            exchange.close();
        });
        stranger.start();
        try {
            AtomicReference<String> named = new AtomicReference<>(fakeLeaderAddress());
            long since = System.currentTimeMillis();
            heartbeat.scheduleWithFixedDelay(() -> {
                try {
                    new LeaderInfo(named.get(), 5, since, System.currentTimeMillis()).write(root.resolve("data"));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }, 0, 100, TimeUnit.MILLISECONDS);
            await().atMost(Duration.ofSeconds(30)).until(() -> readyLeaderStatus().equals("ok"));
            for (String outsider : List.of("127.0.0.2:" + stranger.getAddress().getPort(), "evil.example:443")) {
                named.set(outsider);
                await().atMost(Duration.ofSeconds(30)).until(() -> readyLeaderStatus().equals("degraded"));
                HttpResponse<byte[]> res = se.send(patch(se.token("files:write")).build());
                assertThat(res.statusCode()).as(outsider).isEqualTo(503);
                assertThat(ReplicaHttp.json(res).path("error").path("code").asText()).isEqualTo("LEADER_UNAVAILABLE");
                named.set(fakeLeaderAddress());
                await().atMost(Duration.ofSeconds(30)).until(() -> readyLeaderStatus().equals("ok"));
            }
            assertThat(strangerSaw).isEmpty();
        } finally {
            stranger.stop(0);
        }
    }

    @Test
    void withoutAKnownLeaderWritesAre503WithRetryAfterAndTheInfoSaysFollower() throws Exception {
        HttpResponse<byte[]> res = se.send(patch(se.token("files:write")).build());
        assertThat(res.statusCode()).isEqualTo(503);
        assertThat(res.headers().firstValue("Retry-After")).contains("1");
        assertThat(ReplicaHttp.json(res).path("error").path("code").asText()).isEqualTo("LEADER_UNAVAILABLE");
        assertThat(readyLeaderStatus()).isEqualTo("degraded");
        var info = ReplicaHttp.json(se.send(se.request("/api/v1/info").build()));
        assertThat(info.path("replica_mode").asText()).isEqualTo("replicated");
        assertThat(info.path("role").asText()).isEqualTo("follower");
    }

    @Test
    void requestsAreForwardedWithMethodPathQueryAuthorizationAndBodyAndTheAnswerComesBackAsIs() throws Exception {
        leaderAt(fakeLeaderAddress());
        String token = se.token("files:write");
        HttpResponse<byte[]> res = se.sendRaw(patch(token).build());
        assertThat(res.statusCode()).isEqualTo(207);
        assertThat(res.headers().firstValue("X-From-Leader")).contains("yes");
        assertThat(new String(res.body(), StandardCharsets.UTF_8)).isEqualTo("{\"leader_saw_bytes\":19}");
        Received r = received.get(0);
        assertThat(r.method()).isEqualTo("PATCH");
        assertThat(r.pathAndQuery()).startsWith("/api/v1/files/").endsWith("?probe=1");
        assertThat(r.authorization()).isEqualTo("Bearer " + token);
        assertThat(r.forwardedBy()).isEqualTo("127.0.0.1:1");
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("{\"description\":\"d\"}");

        byte[] content = new byte[3 << 20];
        new Random(3).nextBytes(content);
        MultipartBody body = new MultipartBody().file("big.bin", "application/octet-stream", content);
        byte[] sent = body.build();
        HttpResponse<byte[]> up = se.sendRaw(se.authorized("/api/v1/files/upload", "files:write")
                .header("Content-Type", body.contentType()).POST(HttpRequest.BodyPublishers.ofByteArray(sent)).build());
        assertThat(up.statusCode()).isEqualTo(207);
        assertThat(received.get(1).body()).isEqualTo(sent);
    }

    @Test
    void nothingAnonymousOrUnderScopedOrAlreadyForwardedLeavesTheFollower() throws Exception {
        leaderAt(fakeLeaderAddress());
        assertThat(se.send(patch(null).build()).statusCode()).isEqualTo(401);
        assertThat(se.send(patch(se.token("files:read")).build()).statusCode()).isEqualTo(403);
        assertThat(se.send(se.request("/api/v1/mode/transition").POST(HttpRequest.BodyPublishers.ofString("{}"))
                .header("Authorization", "Bearer " + se.token("files:write")).build()).statusCode()).isEqualTo(403);
        HttpResponse<byte[]> loop = se.send(patch(se.token("files:write"))
                .header(LeaderProxy.FORWARDED_BY, "127.0.0.1:9").build());
        assertThat(loop.statusCode()).isEqualTo(503);
        assertThat(loop.headers().firstValue("Retry-After")).isPresent();
        assertThat(received).isEmpty();
    }

    @Test
    void anUnreachableLeaderIs503AndAStoppedHeartbeatMakesTheLeaderUnknown() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        leaderAt("127.0.0.1:" + closedPort);
        HttpResponse<byte[]> res = se.send(patch(se.token("files:write")).build());
        assertThat(res.statusCode()).isEqualTo(503);
        assertThat(ReplicaHttp.json(res).path("error").path("code").asText()).isEqualTo("LEADER_UNAVAILABLE");

        heartbeat.shutdownNow();
        await().atMost(Duration.ofSeconds(30)).until(() -> readyLeaderStatus().equals("degraded"));
    }

    /**
     * Security review M4: the leader promises 1000 bytes, sends 10 and hangs up. The follower must not relay the
     * leader's Content-Length onto its own error answer (the client would wait for 1000 bytes): a well-formed
     * 503 instead. The request timeout is the hang detector.
     */
    @Test
    void aSmallLeaderAnswerThatBreaksOffIsAWellFormed503() throws Exception {
        try (ServerSocket leader = brokenLeader(1000, new byte[10])) {
            leaderAt("127.0.0.1:" + leader.getLocalPort());
            HttpResponse<byte[]> res = se.sendRaw(patch(se.token("files:write")).timeout(Duration.ofSeconds(10)).build());
            assertThat(res.statusCode()).isEqualTo(503);
            assertThat(ReplicaHttp.json(res).path("error").path("code").asText()).isEqualTo("LEADER_UNAVAILABLE");
            assertThat(res.headers().firstValue("Content-Length")).hasValue(String.valueOf(res.body().length));
            assertThat(res.headers().firstValue("X-From-Leader")).isEmpty();
        }
    }

    /**
     * A streamed answer that breaks off after the follower began relaying it breaks the client's connection
     * too: never a hang, and never a complete-looking answer with part of the body.
     */
    @Test
    void aStreamedLeaderAnswerThatBreaksOffBreaksTheClientsConnection() throws Exception {
        try (ServerSocket leader = brokenLeader(4 * LeaderProxy.SMALL_ANSWER, new byte[2 * LeaderProxy.SMALL_ANSWER])) {
            leaderAt("127.0.0.1:" + leader.getLocalPort());
            assertThatThrownBy(() -> se.sendRaw(patch(se.token("files:write")).timeout(Duration.ofSeconds(10)).build()))
                    .isInstanceOf(IOException.class).isNotInstanceOf(HttpTimeoutException.class);
        }
    }

    /** A leader that answers every request with 200, {@code declared} as Content-Length, {@code sent}, then closes. */
    private static ServerSocket brokenLeader(int declared, byte[] sent) throws IOException {
        ServerSocket server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    s.setSoTimeout(10_000);
                    consumeRequest(s.getInputStream());
                    s.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                            + "X-From-Leader: yes\r\nContent-Length: " + declared + "\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
                    s.getOutputStream().write(sent);
                    s.getOutputStream().flush();
                } catch (IOException e) {
                    // closed by the test, or the follower gave up: the next accept decides
                }
            }
        }, "broken-leader");
        t.setDaemon(true);
        t.start();
        return server;
    }

    /** Reads a request head and its Content-Length body, so closing the socket does not reset it. */
    private static void consumeRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            head.write(b);
        }
        for (String line : head.toString(StandardCharsets.ISO_8859_1).split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                in.readNBytes(Integer.parseInt(line.substring(15).trim()));
            }
        }
    }
}
