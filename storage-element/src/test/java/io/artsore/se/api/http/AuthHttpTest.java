package io.artsore.se.api.http;

import static io.artsore.se.api.http.HttpTestSupport.errorCode;
import static io.artsore.se.api.http.HttpTestSupport.json;
import static io.artsore.se.api.http.HttpTestSupport.storedFiles;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.artsore.se.testing.HttpTestBase;
import io.artsore.se.testing.MultipartBody;
import io.artsore.se.testing.TestIssuer;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Contract §5 over HTTP: every kind of bad credential is a 401 with WWW-Authenticate; scopes; key rotation. */
class AuthHttpTest extends HttpTestBase {
    private static final String LIST = "/api/v1/files";

    /** name, Authorization header value (null: none) built from the issuer. */
    static Stream<Arguments> badCredentials() {
        return Stream.of(
                bad("no Authorization header", i -> null),
                bad("Basic scheme", i -> "Basic YWxpY2U6c2VjcmV0"),
                bad("Bearer without a token", i -> "Bearer"),
                bad("Bearer with garbage", i -> "Bearer not.a.jwt"),
                bad("token without a scheme", i -> i.token("alice", "files:read")),
                bad("bad signature (other key, same kid)", i -> rs256(otherKey(i.key().getKeyID()), claims(i).build())),
                bad("tampered payload", i -> tamper(i.token("alice", "files:read"))),
                bad("alg none", i -> unsecured(i.key().getKeyID(), claims(i).build())),
                bad("HS256 signed with the public key", i -> hs256WithPublicKey(i.key(), claims(i).build())),
                bad("RS512 (only RS256 is accepted)", i -> signed(JWSAlgorithm.RS512, i.key(), claims(i).build())),
                bad("expired", i -> i.token(claims(i).expirationTime(secondsFromNow(-300)).build())),
                bad("not yet valid", i -> i.token(claims(i).notBeforeTime(secondsFromNow(300)).build())),
                bad("no exp", i -> i.token(claims(i).expirationTime(null).build())),
                bad("no sub", i -> i.token(claims(i).subject(null).build())),
                bad("unknown kid", i -> rs256(otherKey("k-unknown"), claims(i).build())));
    }

    private static Arguments bad(String name, Function<TestIssuer, String> header) {
        return Arguments.of(name, header);
    }

    @ParameterizedTest(name = "{0} -> 401")
    @MethodSource("badCredentials")
    void badCredentialsAre401WithWwwAuthenticate(String name, Function<TestIssuer, String> header) throws Exception {
        startServer(Map.of());
        String value = header.apply(issuer);
        for (HttpRequest.Builder request : List.of(
                se.request(LIST).GET(),
                se.request("/api/v1/files/upload").header("Content-Type", new MultipartBody().contentType())
                        .POST(HttpRequest.BodyPublishers.ofByteArray(new MultipartBody()
                                .file("a.txt", "text/plain", new byte[] {1}).build())))) {
            if (value != null) {
                request.header("Authorization", value);
            }
            HttpResponse<byte[]> r = se.send(request.build());
            assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(401);
            assertThat(errorCode(r)).isEqualTo("UNAUTHORIZED");
            assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v ->
                    assertThat(v).startsWith("Bearer"));
        }
        assertThat(storedFiles(se)).isEmpty();
    }

    @Test
    void validTokenWithoutTheScopeIs403() throws Exception {
        startServer(Map.of());
        HttpResponse<byte[]> r = se.send(se.authorized(LIST, "files:write", "storage:read").GET().build());
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(errorCode(r)).isEqualTo("FORBIDDEN");
        HttpResponse<byte[]> prefix = se.send(se.authorized(LIST, "files:rea", "files:read:x", "FILES:READ").GET()
                .build());
        assertThat(prefix.statusCode()).as("scopes match exactly").isEqualTo(403);
        assertThat(se.send(se.authorized(LIST, "files:read").GET().build()).statusCode()).isEqualTo(200);
    }

    @Test
    void keycloakScopeStringIsAccepted() throws Exception {
        startServer(Map.of());
        String stringOnly = issuer.token(new JWTClaimsSet.Builder(claims(issuer).build())
                .claim("scopes", null).claim("scope", "openid profile files:read").build());
        HttpResponse<byte[]> r = se.send(se.request(LIST).header("Authorization", "Bearer " + stringOnly)
                .GET().build());
        assertThat(r.statusCode()).isEqualTo(200);

        String union = issuer.token(new JWTClaimsSet.Builder(claims(issuer).build())
                .claim("scopes", List.of("files:read")).claim("scope", "files:write").build());
        HttpResponse<byte[]> up = se.send(se.request("/api/v1/files/upload")
                .header("Authorization", "Bearer " + union)
                .header("Content-Type", new MultipartBody().contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(new MultipartBody().build())).build());
        assertThat(up.statusCode()).as("files:write came from the scope string").isNotIn(401, 403);
    }

    @Test
    void rotatedKeyIsAcceptedAfterOneRefetch() throws Exception {
        startServer(Map.of("SE_JWKS_MIN_REFETCH_INTERVAL", "1s"));
        assertThat(se.send(se.authorized(LIST, "files:read").GET().build()).statusCode()).isEqualTo(200);
        Thread.sleep(1_200); // past the refetch rate limit that started with the startup fetch
        int hitsBefore = issuer.jwksHits();
        String oldKeyToken = issuer.token("alice", "files:read");

        issuer.rotate("k2");

        HttpResponse<byte[]> r = se.send(se.authorized(LIST, "files:read").GET().build());
        assertThat(r.statusCode()).as("the first request with the new kid succeeds").isEqualTo(200);
        assertThat(issuer.jwksHits()).isEqualTo(hitsBefore + 1);
        HttpResponse<byte[]> old = se.send(se.request(LIST).header("Authorization", "Bearer " + oldKeyToken)
                .GET().build());
        assertThat(old.statusCode()).as("the retired key no longer verifies").isEqualTo(401);
        assertThat(issuer.jwksHits()).as("a second unknown kid right after is rate-limited")
                .isEqualTo(hitsBefore + 1);
    }

    @Test
    void issuerAndAudienceAreCheckedWhenConfigured() throws Exception {
        startServer(Map.of("SE_JWT_ISSUER", "test-issuer", "SE_JWT_AUDIENCE", "se"));
        String right = issuer.token(claims(issuer).audience("se").build());
        String wrongIssuer = issuer.token(claims(issuer).audience("se").issuer("evil").build());
        String wrongAudience = issuer.token(claims(issuer).audience("other").build());
        assertThat(get(right).statusCode()).isEqualTo(200);
        assertThat(get(wrongIssuer).statusCode()).isEqualTo(401);
        assertThat(get(wrongAudience).statusCode()).isEqualTo(401);
    }

    static Stream<Arguments> brokenJwksUrls() {
        return Stream.of(Arguments.of("unreachable port", (Function<TestIssuer, String>) i -> closedPortUrl()),
                Arguments.of("answers 404", (Function<TestIssuer, String>) i -> i.jwksUri().resolve("/nope").toString()));
    }

    @ParameterizedTest(name = "JWKS {0}: closed for protected endpoints, public ones work")
    @MethodSource("brokenJwksUrls")
    void misconfiguredJwksFailsClosed(String name, Function<TestIssuer, String> url) throws Exception {
        startServer(Map.of("SE_JWKS_URL", url.apply(issuer),
                "SE_JWKS_MIN_REFETCH_INTERVAL", "1s"));
        String token = issuer.token("alice", "files:read", "files:write", "storage:write");
        for (HttpRequest.Builder request : List.of(
                se.request(LIST).GET(),
                se.request("/api/v1/files/3f2c1b7e-8d4a-4c5b-9e6f-0a1b2c3d4e5f").GET(),
                se.request("/api/v1/mode/transition").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"target_mode\":\"ro\"}")),
                se.request("/api/v1/files/upload").header("Content-Type", new MultipartBody().contentType())
                        .POST(HttpRequest.BodyPublishers.ofByteArray(new MultipartBody()
                                .file("a.txt", "text/plain", new byte[] {1}).build())))) {
            HttpResponse<byte[]> r = se.send(request.header("Authorization", "Bearer " + token).build());
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.headers().firstValue("WWW-Authenticate")).isPresent();
        }
        assertThat(storedFiles(se)).isEmpty();
        assertThat(json(se.send(se.request("/api/v1/info").GET().build())).path("mode").asText()).isEqualTo("edit");
        assertThat(se.send(se.request("/health/live").GET().build()).statusCode()).isEqualTo(200);
        HttpResponse<byte[]> ready = se.send(se.request("/health/ready").GET().build());
        assertThat(json(ready).path("checks").path("auth").path("status").asText()).isNotEqualTo("ok");
        assertThat(se.send(se.request("/metrics").GET().build()).statusCode()).isEqualTo(200);
    }

    private HttpResponse<byte[]> get(String token) throws Exception {
        return se.send(se.request(LIST).header("Authorization", "Bearer " + token).GET().build());
    }

    private static JWTClaimsSet.Builder claims(TestIssuer issuer) {
        return issuer.claims("alice", "files:read", "files:write");
    }

    private static Date secondsFromNow(long seconds) {
        return Date.from(Instant.now().plusSeconds(seconds));
    }

    private static RSAKey otherKey(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String rs256(RSAKey key, JWTClaimsSet claims) {
        return signed(JWSAlgorithm.RS256, key, claims);
    }

    private static String signed(JWSAlgorithm alg, RSAKey key, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(key.getKeyID()).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return "Bearer " + jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The classic key-confusion attack: HMAC keyed with the (public) RSA key bytes. */
    private static String hs256WithPublicKey(RSAKey key, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(key.getKeyID()).build(),
                    claims);
            jwt.sign(new MACSigner(key.toRSAPublicKey().getEncoded()));
            return "Bearer " + jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String unsecured(String kid, JWTClaimsSet claims) {
        String header = Base64URL.encode("{\"alg\":\"none\",\"kid\":\"" + kid + "\"}").toString();
        String payload = Base64URL.encode(claims.toString().getBytes(StandardCharsets.UTF_8)).toString();
        return "Bearer " + header + "." + payload + ".";
    }

    private static String tamper(String token) {
        String[] parts = token.split("\\.");
        String payload = new String(Base64URL.from(parts[1]).decode(), StandardCharsets.UTF_8)
                .replace("files:read", "files:rite");
        return "Bearer " + parts[0] + "." + Base64URL.encode(payload) + "." + parts[2];
    }

    private static String closedPortUrl() {
        try (ServerSocket s = new ServerSocket(0)) {
            return "http://127.0.0.1:" + s.getLocalPort() + "/jwks";
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
