package io.artsore.se.api.auth;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * Trust for outbound TLS (JWKS, leader proxy, dependency checks): the JDK's default CAs plus, optionally, the
 * certificates of a PEM bundle ({@code SE_CA_CERT_PATH}, followed while the element runs: {@link CaBundleTrust}).
 * Hostname verification stays on.
 */
public final class OutboundTls {
    /** How often a changed CA bundle is picked up (at the next outbound handshake after this has passed). */
    static final Duration BUNDLE_RECHECK = Duration.ofSeconds(30);

    private OutboundTls() {
    }

    /**
     * @throws IllegalArgumentException when the bundle cannot be read or holds no certificate (a startup error)
     */
    public static SSLContext sslContext(Optional<Path> extraCaBundle) {
        return sslContext(extraCaBundle, BUNDLE_RECHECK);
    }

    /**
     * Trust for calls to the other replicas of this element (the leader proxy): the bundle's CAs only, when one
     * is configured. A forwarded write carries the client's token; with the default CAs as well, a certificate
     * any public CA issued for a name the leader file was made to point at would pass (security review H1).
     */
    public static SSLContext peerSslContext(Optional<Path> caBundle) {
        return context(caBundle, false, BUNDLE_RECHECK);
    }

    /** As {@link #sslContext(Optional)}, picking up a changed bundle after {@code recheck}. */
    static SSLContext sslContext(Optional<Path> extraCaBundle, Duration recheck) {
        return context(extraCaBundle, true, recheck);
    }

    private static SSLContext context(Optional<Path> extraCaBundle, boolean withDefaults, Duration recheck) {
        try {
            if (extraCaBundle.isEmpty()) {
                return SSLContext.getDefault();
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {CaBundleTrust.load(extraCaBundle.get(), withDefaults, recheck)},
                    null);
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
}
