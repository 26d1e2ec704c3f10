package io.artsore.se.api.auth;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Trust for outbound TLS (JWKS, leader proxy, dependency checks): the JDK's default CAs plus, optionally, the
 * certificates of a PEM bundle ({@code SE_CA_CERT_PATH}). Hostname verification stays on.
 */
public final class OutboundTls {
    private OutboundTls() {
    }

    /**
     * @throws IllegalArgumentException when the bundle cannot be read or holds no certificate (a startup error)
     */
    public static SSLContext sslContext(Optional<Path> extraCaBundle) {
        try {
            if (extraCaBundle.isEmpty()) {
                return SSLContext.getDefault();
            }
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int i = 0;
            for (X509Certificate ca : defaultTrustManager().getAcceptedIssuers()) {
                trust.setCertificateEntry("default-" + i++, ca);
            }
            for (Certificate extra : readPem(extraCaBundle.get())) {
                trust.setCertificateEntry("extra-" + i++, extra);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("cannot build TLS trust from CA bundle " + extraCaBundle.orElse(null)
                    + ": " + e.getMessage(), e);
        }
    }

    /** An HTTP client using {@link #sslContext(Optional)}; redirects are not followed. */
    public static HttpClient httpClient(Optional<Path> extraCaBundle, Duration connectTimeout) {
        return HttpClient.newBuilder()
                .sslContext(sslContext(extraCaBundle))
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    private static Collection<? extends Certificate> readPem(Path bundle) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(bundle)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new GeneralSecurityException("no certificate found");
            }
            return certs;
        }
    }

    private static X509TrustManager defaultTrustManager() throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init((KeyStore) null);
        for (var tm : tmf.getTrustManagers()) {
            if (tm instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new GeneralSecurityException("no default X509 trust manager");
    }
}
