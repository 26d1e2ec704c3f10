package io.artsore.se.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.artsore.se.testing.SeTestServer;
import io.artsore.se.testing.TestIssuer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code SE_MAX_CONNECTIONS}: past the bound, a new connection is not served (it waits in the accept backlog)
 * until an open one closes; then it is answered normally.
 */
class ConnectionLimitTest {
    @TempDir
    Path root;

    @Test
    void aConnectionPastTheBoundIsServedOnlyOnceAnotherCloses() throws Exception {
        try (TestIssuer issuer = new TestIssuer();
             SeTestServer se = SeTestServer.start(root, issuer, Map.of("SE_MAX_CONNECTIONS", "2"))) {
            int port = se.server().port();
            try (Socket first = new Socket(InetAddress.getLoopbackAddress(), port);
                 Socket second = new Socket(InetAddress.getLoopbackAddress(), port);
                 Socket third = new Socket(InetAddress.getLoopbackAddress(), port)) {
                third.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                third.setSoTimeout(1500);
                InputStream in = third.getInputStream();
                // not a timing threshold: an unbounded server answers; a bounded one never does while both are open
                assertThatThrownBy(in::read).isInstanceOf(SocketTimeoutException.class);
                first.close();
                third.setSoTimeout(30_000); // hang guard
                assertThat(statusLine(in)).isEqualTo("HTTP/1.1 200 OK");
            }
        }
    }

    private static String statusLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b; (b = in.read()) >= 0 && b != '\n'; ) {
            line.append((char) b);
        }
        return line.toString().trim();
    }
}
