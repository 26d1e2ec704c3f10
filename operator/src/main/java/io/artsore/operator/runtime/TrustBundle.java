package io.artsore.operator.runtime;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * TLS trust for calls to elements: the JDK's default CAs, plus an optional PEM bundle (OPERATOR_CA_CERT_PATH),
 * plus the CA of the element's own certificate ({@code ca.crt} of its cert-manager Secret) when there is one.
 * Hostname verification is the HTTP client's and stays on.
 */
public final class TrustBundle {
    private TrustBundle() {
    }

    public static SSLContext sslContext(Path extraPem) throws IOException, GeneralSecurityException {
        return sslContext(extraPem, null);
    }

    /** @param elementCaPem PEM of the element's issuing CA, or null */
    public static SSLContext sslContext(Path extraPem, byte[] elementCaPem) throws IOException, GeneralSecurityException {
        List<X509TrustManager> managers = new ArrayList<>();
        managers.add(trustManager(null));
        if (extraPem != null) {
            try (InputStream in = Files.newInputStream(extraPem)) {
                managers.add(trustManager(store(in, "the CA bundle")));
            }
        }
        if (elementCaPem != null) {
            managers.add(trustManager(store(new ByteArrayInputStream(elementCaPem), "ca.crt of the element's Secret")));
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new AnyOfTrustManager(managers)}, null);
        return context;
    }

    private static KeyStore store(InputStream pem, String what) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        int i = 0;
        for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(pem)) {
            store.setCertificateEntry("ca-" + i++, certificate);
        }
        if (i == 0) {
            throw new GeneralSecurityException("no certificate in " + what);
        }
        return store;
    }

    private static X509TrustManager trustManager(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new GeneralSecurityException("no X509TrustManager");
    }

    /** Trusts a server chain when any of the delegates does. */
    private record AnyOfTrustManager(List<X509TrustManager> delegates) implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType)
                throws java.security.cert.CertificateException {
            throw new java.security.cert.CertificateException("the operator does not accept client connections");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType)
                throws java.security.cert.CertificateException {
            java.security.cert.CertificateException last = null;
            for (X509TrustManager delegate : delegates) {
                try {
                    delegate.checkServerTrusted(chain, authType);
                    return;
                } catch (java.security.cert.CertificateException e) {
                    last = e;
                }
            }
            throw last;
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegates.stream().flatMap(d -> java.util.Arrays.stream(d.getAcceptedIssuers()))
                    .toArray(X509Certificate[]::new);
        }
    }
}
