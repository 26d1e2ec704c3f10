package io.artsore.se.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.artsore.se.testing.SelfSignedTls;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SE_CA_CERT_PATH is followed while the element runs (issue 15, item 1): a rotated private CA bundle is trusted
 * from the next handshake on, and an unusable one never replaces the trust in use.
 */
class CaBundleTrustTest {
    @TempDir
    Path root;

    @Test
    void aRotatedBundleIsTrustedAtTheNextHandshakeAndAnUnusableOneIsRefused() throws Exception {
        SelfSignedTls first = SelfSignedTls.create(root.resolve("first"));
        SelfSignedTls second = SelfSignedTls.create(root.resolve("second"));
        Path bundle = Files.copy(first.certificatePem(), root.resolve("ca.pem"));
        SSLContext trust = OutboundTls.sslContext(Optional.of(bundle), Duration.ZERO);
        assertThat(status(trust, first)).isEqualTo(200);
        assertThatThrownBy(() -> status(trust, second)).isInstanceOf(SSLHandshakeException.class);

        Files.copy(second.certificatePem(), bundle, StandardCopyOption.REPLACE_EXISTING);
        assertThat(status(trust, second)).isEqualTo(200);
        assertThatThrownBy(() -> status(trust, first)).as("the old CA left with the old bundle")
                .isInstanceOf(SSLHandshakeException.class);

        Files.writeString(bundle, "not a certificate");
        assertThat(status(trust, second)).as("an unusable bundle keeps the trust in use").isEqualTo(200);
        assertThatThrownBy(() -> status(trust, first)).isInstanceOf(SSLHandshakeException.class);
        Files.delete(bundle);
        assertThat(status(trust, second)).as("so does a missing one").isEqualTo(200);
    }

    /**
     * One call to a new server presenting {@code certificate}: a new port, so the handshake cannot resume an
     * earlier TLS session and skip the trust check.
     */
    private static int status(SSLContext trust, SelfSignedTls certificate) throws Exception {
        try (HttpsJwks server = new HttpsJwks(certificate, "{\"keys\":[]}")) {
            HttpClient client = HttpClient.newBuilder().sslContext(trust).connectTimeout(Duration.ofSeconds(5)).build();
            return client.send(HttpRequest.newBuilder(server.uri()).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        }
    }
}
