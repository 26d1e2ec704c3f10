package io.artsore.se.server;

import io.helidon.common.configurable.Resource;
import io.helidon.common.pki.Keys;
import io.helidon.common.tls.Tls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/** Server TLS from PEM files (SE_TLS_CERT / SE_TLS_KEY), TLS 1.2 and 1.3 only. */
final class ServerTls {
    private ServerTls() {
    }

    static Tls fromPem(Path certFile, Path keyFile) {
        requireReadable(certFile, "SE_TLS_CERT");
        requireReadable(keyFile, "SE_TLS_KEY");
        Keys keys = Keys.builder()
                .pem(pem -> pem.key(Resource.create(keyFile)).certChain(Resource.create(certFile)))
                .build();
        PrivateKey key = keys.privateKey()
                .orElseThrow(() -> new IllegalStateException("SE_TLS_KEY: no private key found in " + keyFile));
        List<X509Certificate> chain = keys.certChain();
        if (chain.isEmpty()) {
            throw new IllegalStateException("SE_TLS_CERT: no certificate found in " + certFile);
        }
        return Tls.builder()
                .privateKey(key)
                .privateKeyCertChain(chain)
                .enabledProtocols(List.of("TLSv1.3", "TLSv1.2"))
                .build();
    }

    private static void requireReadable(Path file, String variable) {
        if (!Files.isReadable(file)) {
            throw new IllegalStateException(variable + ": file is not readable: " + file);
        }
    }
}
