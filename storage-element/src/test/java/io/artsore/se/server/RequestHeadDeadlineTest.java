package io.artsore.se.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.artsore.se.testing.MultipartBody;
import io.artsore.se.testing.SeTestServer;
import io.artsore.se.testing.TestIssuer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The request-head deadline ({@code SE_REQUEST_HEAD_TIMEOUT}) on a real in-process element: a connection
 * stuck in (or dripping) its header block is closed, while a body sent slowly after a complete head, and a
 * keep-alive connection between requests, are not touched. The idle timeout stays at its 5 min default, so
 * only the head deadline can close anything here.
 */
class RequestHeadDeadlineTest {
    private static final int HEAD_TIMEOUT_MS = 1000;
    /** Hang guard only: without the deadline the server would keep these connections for 5 min. */
    private static final int READ_GUARD_MS = 30_000;

    @TempDir
    static Path root;
    private static TestIssuer issuer;
    private static SeTestServer se;

    @BeforeAll
    static void start() throws Exception {
        issuer = new TestIssuer();
        se = SeTestServer.start(root, issuer, Map.of("SE_REQUEST_HEAD_TIMEOUT", HEAD_TIMEOUT_MS + "ms"));
    }

    @AfterAll
    static void stop() {
        se.close();
        issuer.close();
    }

    @Test
    void aHalfSentHeadIsClosedByTheServer() throws Exception {
        try (Socket s = connect()) {
            send(s, "GET /api/v1/info HTTP/1.1\r\nHost: 127.0.0.1\r\n");
            assertThat(readUntilClosed(s)).as("nothing is answered, the connection is just closed").isEmpty();
        }
    }

    @Test
    void aHeadDrippedFasterThanTheIdleTimeoutIsStillClosed() throws Exception {
        try (Socket s = connect()) {
            send(s, "GET /api/v1/info HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
            Thread dripper = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < 150; i++) { // 30 s at most; the server closes long before
                        send(s, "a");
                        Thread.sleep(200);
                    }
                } catch (IOException | InterruptedException e) {
                    // closed by the server (or the test)
                }
            });
            assertThat(readUntilClosed(s)).isEmpty();
            s.close();
            dripper.join();
        }
    }

    @Test
    void aSlowBodyAfterACompleteHeadIsNotCut() throws Exception {
        MultipartBody multipart = new MultipartBody().file("slow.bin", "application/octet-stream", new byte[30_000]);
        byte[] body = multipart.build();
        try (Socket s = connect()) {
            send(s, "POST /api/v1/files/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                    + se.token("files:write") + "\r\nContent-Type: " + multipart.contentType()
                    + "\r\nContent-Length: " + body.length + "\r\n\r\n");
            OutputStream out = s.getOutputStream();
            int chunks = 10; // spread over 3 head deadlines
            for (int i = 0; i < chunks; i++) {
                int from = body.length * i / chunks;
                out.write(body, from, body.length * (i + 1) / chunks - from);
                out.flush();
                Thread.sleep(HEAD_TIMEOUT_MS * 3L / chunks);
            }
            assertThat(readResponse(s)).startsWith("HTTP/1.1 201");
        }
    }

    @Test
    void aKeepAliveConnectionWaitingForItsNextRequestIsNotClosedByTheDeadline() throws Exception {
        try (Socket s = connect()) {
            String get = "GET /api/v1/info HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
            send(s, get);
            assertThat(readResponse(s)).startsWith("HTTP/1.1 200");
            Thread.sleep(HEAD_TIMEOUT_MS * 2L);
            send(s, get);
            assertThat(readResponse(s)).startsWith("HTTP/1.1 200");
        }
    }

    private static Socket connect() throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), se.server().port());
        s.setSoTimeout(READ_GUARD_MS);
        return s;
    }

    private static void send(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Everything the server sends until it closes the connection; fails if it is still open after the guard. */
    private static String readUntilClosed(Socket s) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        InputStream in = s.getInputStream();
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                got.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server did not close the connection within " + READ_GUARD_MS + " ms", e);
        } catch (IOException reset) {
            // a reset is a close too
        }
        return got.toString(StandardCharsets.UTF_8);
    }

    /** One response (head and the body announced by Content-Length), leaving the connection open. */
    private static String readResponse(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new AssertionError("closed before a full response head: " + head);
            }
            head.append((char) b);
        }
        String h = head.toString();
        int at = h.toLowerCase(java.util.Locale.ROOT).indexOf("content-length:");
        int length = Integer.parseInt(h.substring(at + 15, h.indexOf("\r\n", at)).trim());
        in.readNBytes(length);
        return h;
    }
}
