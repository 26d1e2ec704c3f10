package io.artsore.se.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** A token issuer for HTTP tests: one RSA key, its JWKS on 127.0.0.1, and token minting. */
public final class TestIssuer implements AutoCloseable {
    private final HttpServer server;
    private final AtomicInteger jwksHits = new AtomicInteger();
    private volatile RSAKey key = newKey("k1");

    public TestIssuer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/jwks", exchange -> {
            jwksHits.incrementAndGet();
            byte[] body = new JWKSet(key.toPublicJWK()).toString(true).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    public URI jwksUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks");
    }

    public int jwksHits() {
        return jwksHits.get();
    }

    /** Replaces the signing key (new kid); the JWKS then publishes only the new key. */
    public void rotate(String kid) {
        key = newKey(kid);
    }

    public String token(String subject, String... scopes) {
        return token(claims(subject, scopes).build());
    }

    /**
     * Claims valid for an hour from the real time. No {@code iat}: some elements run on a fixed clock in the past,
     * where a real issue time lies in the future and is refused (TokenVerifierTest covers {@code iat}).
     */
    public JWTClaimsSet.Builder claims(String subject, String... scopes) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .subject(subject)
                .issuer("test-issuer")
                .expirationTime(Date.from(now.plusSeconds(3600)))
                .claim("scopes", List.of(scopes));
    }

    public String token(JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                    claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public RSAKey key() {
        return key;
    }

    private static RSAKey newKey(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
