package io.artsore.se.server.tls;

import io.helidon.common.configurable.Resource;
import io.helidon.common.pki.Keys;
import io.helidon.common.tls.Tls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * The server's certificate and key from PEM files (SE_TLS_CERT / SE_TLS_KEY) as Helidon TLS, TLS 1.2 and 1.3
 * only. {@code fingerprint} identifies the files' content, so a reload can tell a new pair from the one in use.
 */
public record ServingCertificate(Tls tls, X509Certificate leaf, String fingerprint) {
    private static final byte[] PROBE = "artsore-se key/certificate pairing check".getBytes(StandardCharsets.US_ASCII);

    /** Not a usable pair: unreadable, no key or certificate, or a key that does not belong to the certificate. */
    public static final class InvalidCertificate extends Exception {
        InvalidCertificate(String message) {
            super(message);
        }
    }

    public static ServingCertificate load(Path certFile, Path keyFile) throws InvalidCertificate {
        byte[] certBytes = read(certFile, "SE_TLS_CERT");
        byte[] keyBytes = read(keyFile, "SE_TLS_KEY");
        Keys keys;
        try {
            keys = Keys.builder()
                    .pem(pem -> pem.key(Resource.create("SE_TLS_KEY", keyBytes))
                            .certChain(Resource.create("SE_TLS_CERT", certBytes)))
                    .build();
        } catch (RuntimeException e) {
            throw new InvalidCertificate("cannot parse the PEM files: " + e.getMessage());
        }
        PrivateKey key = keys.privateKey()
                .orElseThrow(() -> new InvalidCertificate("SE_TLS_KEY: no private key found in " + keyFile));
        List<X509Certificate> chain = keys.certChain();
        if (chain.isEmpty()) {
            throw new InvalidCertificate("SE_TLS_CERT: no certificate found in " + certFile);
        }
        X509Certificate leaf = chain.get(0);
        requirePair(key, leaf.getPublicKey());
        Tls tls = Tls.builder()
                .privateKey(key)
                .privateKeyCertChain(chain)
                .enabledProtocols(List.of("TLSv1.3", "TLSv1.2"))
                .build();
        return new ServingCertificate(tls, leaf, fingerprint(certBytes, keyBytes));
    }

    /** When the leaf certificate stops being valid. */
    public Instant expiresAt() {
        return leaf.getNotAfter().toInstant();
    }

    public boolean validAt(Instant now) {
        return !now.isBefore(leaf.getNotBefore().toInstant()) && now.isBefore(expiresAt());
    }

    public String subject() {
        return leaf.getSubjectX500Principal().getName();
    }

    /** The content of both files as they are now, to compare with {@link #fingerprint()} without parsing. */
    static String fingerprintOf(Path certFile, Path keyFile) throws InvalidCertificate {
        return fingerprint(read(certFile, "SE_TLS_CERT"), read(keyFile, "SE_TLS_KEY"));
    }

    /**
     * A key of another certificate would fail every handshake; during a rotation that writes the two files one
     * after the other, this is also what a reader that sees them in between gets.
     */
    private static void requirePair(PrivateKey key, PublicKey certified) throws InvalidCertificate {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> throw new InvalidCertificate("SE_TLS_KEY: unsupported key type " + key.getAlgorithm());
        };
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(PROBE);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certified);
            verifier.update(PROBE);
            if (!verifier.verify(signature)) {
                throw new InvalidCertificate("SE_TLS_KEY does not belong to the certificate in SE_TLS_CERT");
            }
        } catch (GeneralSecurityException e) {
            throw new InvalidCertificate("SE_TLS_KEY does not belong to the certificate in SE_TLS_CERT: "
                    + e.getMessage());
        }
    }

    private static byte[] read(Path file, String variable) throws InvalidCertificate {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new InvalidCertificate(variable + ": cannot read " + file + ": " + e.getMessage());
        }
    }

    private static String fingerprint(byte[] cert, byte[] key) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(cert);
            sha.update((byte) 0);
            sha.update(key);
            return HexFormat.of().formatHex(sha.digest());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
