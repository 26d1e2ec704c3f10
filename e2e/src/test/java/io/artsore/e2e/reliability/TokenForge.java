package io.artsore.e2e.reliability;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * The token issuer of the reliability suite: one RS256 key published as a JWKS over plain HTTP on 127.0.0.1,
 * and a signer for any header and claims — the suite needs tokens the jwks-mock will not mint (audience,
 * odd {@code kid}s, chosen expiry). The elements it configures require {@link #ISSUER} and {@link #AUDIENCE}.
 */
final class TokenForge implements AutoCloseable {
    static final String ISSUER = "https://issuer.reliability.test";
    static final String AUDIENCE = "artsore-se";

    private final RSAKey key;
    private final HttpServer server;

    TokenForge() throws IOException {
        try {
            key = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.RS256).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        byte[] jwks = new JWKSet(key.toPublicJWK()).toString(true).getBytes(StandardCharsets.UTF_8);
        server.createContext("/jwks", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            exchange.getResponseBody().write(jwks);
            exchange.close();
        });
        server.start();
    }

    String jwksUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks";
    }

    RSAKey key() {
        return key;
    }

    /** A valid token for {@code subject} with these scopes, one hour. */
    String token(String subject, String... scopes) {
        return sign(header().build(), claims(subject, List.of(scopes)).build());
    }

    /** Header with the real kid and RS256; tests change it to forge. */
    JWSHeader.Builder header() {
        return new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID());
    }

    /** Claims a valid token carries; tests change them to forge. */
    JWTClaimsSet.Builder claims(String subject, List<String> scopes) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().subject(subject).issuer(ISSUER).audience(AUDIENCE)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(3600))).claim("scopes", scopes);
    }

    /** Signs with the real key, whatever the header says. */
    String sign(JWSHeader header, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(header, claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
