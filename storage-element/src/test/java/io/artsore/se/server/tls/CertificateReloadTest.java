package io.artsore.se.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.artsore.se.testing.SelfSignedTls;
import io.artsore.se.testing.SeTestServer;
import io.artsore.se.testing.TestIssuer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Certificate rotation without a restart (issue 15): the element's certificate files are a Kubernetes Secret
 * volume, which the kubelet updates by writing a new timestamped directory and swapping the {@code ..data}
 * symlink. The next TLS handshake must present the new certificate while a connection opened before the swap
 * keeps working; a pair that is not a valid key and certificate is refused and the old certificate stays.
 */
class CertificateReloadTest {
    private static final Duration RELOAD_DEADLINE = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    private final HttpClient https = HttpClient.newBuilder().sslContext(acceptAll()).build();
    private TestIssuer issuer;
    private SeTestServer element;
    private Path secret;
    private int generation;

    @AfterEach
    void stop() {
        if (element != null) {
            element.close();
        }
        if (issuer != null) {
            issuer.close();
        }
    }

    @Test
    void aSwappedSecretIsServedAtTheNextHandshakeAndOldConnectionsKeepWorking() throws Exception {
        SelfSignedTls first = SelfSignedTls.create(root.resolve("first"));
        startWith(first);
        X509Certificate served = handshake().leaf;
        assertThat(served.getEncoded()).isEqualTo(certificate(first).getEncoded());
        Handshake before = handshake();

        SelfSignedTls second = SelfSignedTls.create(root.resolve("second"));
        swapSecret(Files.readString(second.certificatePem()), second.privateKeyPem());
        awaitServed(c -> sameCertificate(c, second));
        assertThat(before.get("/health/live")).as("a connection from before the swap").startsWith("HTTP/1.1 200");
        assertThat(before.leaf.getEncoded()).isEqualTo(served.getEncoded());
        JsonNode tls = ready().path("checks").path("tls");
        assertThat(tls.path("status").asText()).isEqualTo("ok");
        assertThat(metric("se_tls_certificate_reload_refused")).isZero();
        assertThat(metric("se_tls_certificate_expiry_timestamp_seconds"))
                .isEqualTo(certificate(second).getNotAfter().toInstant().getEpochSecond());
        before.close();
    }

    @Test
    void aKeyOfAnotherCertificateOrAnExpiredCertificateIsRefusedAndTheOldOneKeepsServing() throws Exception {
        SelfSignedTls serving = SelfSignedTls.create(root.resolve("serving"));
        startWith(serving);
        SelfSignedTls other = SelfSignedTls.create(root.resolve("other"));
        SelfSignedTls expired = SelfSignedTls.create(root.resolve("expired"), "-10d");

        swapSecret(Files.readString(other.certificatePem()), serving.privateKeyPem());
        awaitRefusal();
        assertThat(sameCertificate(handshake().leaf, serving)).as("still the old certificate").isTrue();

        swapSecret(Files.readString(serving.certificatePem()), serving.privateKeyPem());
        awaitReady("ok");
        swapSecret(Files.readString(expired.certificatePem()), expired.privateKeyPem());
        awaitRefusal();
        assertThat(sameCertificate(handshake().leaf, serving)).as("still the old certificate").isTrue();
    }

    private void startWith(SelfSignedTls tls) throws Exception {
        issuer = new TestIssuer();
        secret = Files.createDirectories(root.resolve("secret"));
        swapSecret(Files.readString(tls.certificatePem()), tls.privateKeyPem());
        Files.createSymbolicLink(secret.resolve("tls.crt"), Path.of("..data", "tls.crt"));
        Files.createSymbolicLink(secret.resolve("tls.key"), Path.of("..data", "tls.key"));
        element = SeTestServer.start(root, issuer, Map.of(
                "SE_TLS_CERT", secret.resolve("tls.crt").toString(),
                "SE_TLS_KEY", secret.resolve("tls.key").toString(),
                "SE_TLS_RELOAD_INTERVAL", "200ms"));
    }

    /** As the kubelet does: a new directory with both files, then an atomic rename of the ..data symlink. */
    private void swapSecret(String certPem, String keyPem) throws IOException {
        String name = "..generation-" + generation++;
        Path dir = Files.createDirectory(secret.resolve(name));
        Files.writeString(dir.resolve("tls.crt"), certPem);
        Files.writeString(dir.resolve("tls.key"), keyPem);
        Path next = Files.createSymbolicLink(secret.resolve("..data_tmp"), Path.of(name));
        Files.move(next, secret.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
    }

    private void awaitServed(Predicate<X509Certificate> expected) throws Exception {
        long deadline = System.nanoTime() + RELOAD_DEADLINE.toNanos();
        while (!expected.test(handshake().leaf)) {
            assertThat(System.nanoTime()).as("new certificate served within %s", RELOAD_DEADLINE).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private void awaitRefusal() throws Exception {
        awaitReady("degraded");
        assertThat(metric("se_tls_certificate_reload_refused")).isEqualTo(1);
    }

    private void awaitReady(String tlsStatus) throws Exception {
        long deadline = System.nanoTime() + RELOAD_DEADLINE.toNanos();
        while (!ready().path("checks").path("tls").path("status").asText().equals(tlsStatus)) {
            assertThat(System.nanoTime()).as("tls readiness %s within %s", tlsStatus, RELOAD_DEADLINE)
                    .isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private JsonNode ready() throws Exception {
        return JSON.readTree(get("/health/ready"));
    }

    /** The value of an unlabelled metric in the /metrics exposition. */
    private long metric(String name) throws Exception {
        return get("/metrics").lines().filter(l -> l.startsWith(name + " ")).findFirst()
                .map(l -> (long) Double.parseDouble(l.substring(name.length() + 1).trim()))
                .orElseThrow(() -> new AssertionError(name + " is not exported"));
    }

    private String get(String path) throws Exception {
        HttpResponse<String> r = https.send(HttpRequest.newBuilder(
                URI.create("https://127.0.0.1:" + element.server().port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        return r.body();
    }

    private static boolean sameCertificate(X509Certificate served, SelfSignedTls expected) {
        try {
            return java.util.Arrays.equals(served.getEncoded(), certificate(expected).getEncoded());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate certificate(SelfSignedTls tls) throws Exception {
        try (InputStream in = Files.newInputStream(tls.certificatePem())) {
            return (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(in);
        }
    }

    /** Trusts whatever the element presents: what it presents is under test. */
    private static SSLContext acceptAll() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new AcceptAll()}, null);
            return context;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new TLS connection to the element. */
    private Handshake handshake() throws Exception {
        SSLSocket socket = (SSLSocket) acceptAll().getSocketFactory().createSocket("127.0.0.1", element.server().port());
        socket.setSoTimeout(10_000);
        socket.startHandshake();
        return new Handshake(socket, (X509Certificate) socket.getSession().getPeerCertificates()[0]);
    }

    private record Handshake(SSLSocket socket, X509Certificate leaf) implements AutoCloseable {
        /** One keep-alive HTTP/1.1 GET on this connection; the whole response (head and body) as text. */
        String get(String path) throws IOException {
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("connection closed in the response head: " + head);
                }
                head.write(b);
            }
            String headText = head.toString(StandardCharsets.US_ASCII);
            int length = Integer.parseInt(headText.lines()
                    .filter(l -> l.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:"))
                    .findFirst().orElseThrow(() -> new IOException("no Content-Length: " + headText))
                    .substring("content-length:".length()).trim());
            return headText + new String(in.readNBytes(length), StandardCharsets.UTF_8);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static final class AcceptAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
