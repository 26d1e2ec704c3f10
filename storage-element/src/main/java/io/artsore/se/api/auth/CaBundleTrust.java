package io.artsore.se.api.auth;

import io.artsore.se.logging.Events;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Collection;
import java.util.HexFormat;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Outbound trust that follows SE_CA_CERT_PATH: the bundle's certificates, plus the JDK's default CAs for calls
 * to services outside the element (JWKS, dependency checks). A private
 * CA bundle is a mounted Secret or ConfigMap that is rotated while the element runs; at the first handshake
 * after {@code recheck} has passed, a bundle whose content changed is read again. A bundle that cannot be used
 * (unreadable, no certificate) is refused once with an error event and the previous trust stays. Hostname
 * verification is untouched: this is an {@link X509ExtendedTrustManager}, so JSSE still checks the endpoint.
 */
final class CaBundleTrust extends X509ExtendedTrustManager {
    private static final Logger LOG = Logger.getLogger(CaBundleTrust.class.getName());

    private final Path bundle;
    private final boolean withDefaults;
    private final long recheckNanos;
    private volatile X509ExtendedTrustManager current;
    private volatile String fingerprint;
    private volatile long nextCheck;
    private String refused;

    private CaBundleTrust(Path bundle, boolean withDefaults, Duration recheck, byte[] content)
            throws GeneralSecurityException {
        this.bundle = bundle;
        this.withDefaults = withDefaults;
        this.recheckNanos = recheck.toNanos();
        this.current = trustManager(content);
        this.fingerprint = fingerprint(content);
        this.nextCheck = System.nanoTime() + recheckNanos;
    }

    /**
     * @param withDefaults whether the JDK's default CAs are trusted too (not for the replicas' own peer calls)
     * @throws GeneralSecurityException or IOException when the bundle cannot be used (a startup error)
     */
    static CaBundleTrust load(Path bundle, boolean withDefaults, Duration recheck)
            throws GeneralSecurityException, IOException {
        return new CaBundleTrust(bundle, withDefaults, recheck, Files.readAllBytes(bundle));
    }

    /** Reads the bundle again if its content changed; keeps the trust in use when the new one is unusable. */
    synchronized void reloadIfChanged() {
        nextCheck = System.nanoTime() + recheckNanos;
        String seen = "unreadable";
        try {
            byte[] content = Files.readAllBytes(bundle);
            seen = fingerprint(content);
            if (seen.equals(fingerprint) || seen.equals(refused)) {
                return;
            }
            current = trustManager(content);
            fingerprint = seen;
            refused = null;
            Events.log(LOG, Level.INFO, "ca_bundle_reloaded", "path", bundle.toString(), "outcome", "success");
        } catch (IOException | GeneralSecurityException e) {
            if (!seen.equals(refused)) {
                refused = seen;
                Events.log(LOG, Level.SEVERE, "ca_bundle_reload_refused", "path", bundle.toString(),
                        "reason", String.valueOf(e.getMessage()), "outcome", "failure");
            }
        }
    }

    private X509ExtendedTrustManager trust() {
        if (System.nanoTime() - nextCheck >= 0) {
            reloadIfChanged();
        }
        return current;
    }

    private X509ExtendedTrustManager trustManager(byte[] bundle) throws GeneralSecurityException {
        Collection<? extends Certificate> extra = CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(bundle));
        if (extra.isEmpty()) {
            throw new CertificateException("no certificate found");
        }
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        int i = 0;
        if (withDefaults) {
            for (X509Certificate ca : defaults().getAcceptedIssuers()) {
                store.setCertificateEntry("default-" + i++, ca);
            }
        }
        for (Certificate ca : extra) {
            store.setCertificateEntry("extra-" + i++, ca);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        return extended(tmf.getTrustManagers());
    }

    private static X509ExtendedTrustManager defaults() throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init((KeyStore) null);
        return extended(tmf.getTrustManagers());
    }

    private static X509ExtendedTrustManager extended(TrustManager[] managers) throws GeneralSecurityException {
        for (TrustManager tm : managers) {
            if (tm instanceof X509ExtendedTrustManager x509) {
                return x509;
            }
        }
        throw new GeneralSecurityException("no X509 trust manager");
    }

    private static String fingerprint(byte[] content) throws GeneralSecurityException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        trust().checkServerTrusted(chain, authType, socket);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        trust().checkServerTrusted(chain, authType, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        trust().checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        trust().checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        trust().checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        trust().checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return trust().getAcceptedIssuers();
    }
}
