package io.artsore.se.api.auth;

import static io.artsore.se.api.auth.Tokens.claims;
import static io.artsore.se.api.auth.Tokens.sign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import io.artsore.se.testing.MutableClock;
import io.artsore.se.testing.SelfSignedTls;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JwksKeySourceTest {
    private static final RSAKey K1 = Tokens.rsaKey("k1");
    private static final RSAKey K2 = Tokens.rsaKey("k2");
    private static final HttpClient HTTP = OutboundTls.httpClient(Optional.empty(), Duration.ofSeconds(2));

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
    private final AtomicLong ticker = new AtomicLong(System.nanoTime());
    private JwksTestServer server;
    private JwksKeySource source;

    @BeforeEach
    void startServer() throws Exception {
        server = new JwksTestServer();
        server.publish(K1);
    }

    @AfterEach
    void stop() {
        if (source != null) {
            source.close();
        }
        server.close();
    }

    private JwksKeySource start(URI uri, Duration minRefetch) {
        source = new JwksKeySource(uri, HTTP, Duration.ofHours(1), minRefetch, Duration.ofSeconds(2), clock, ticker::get);
        source.start();
        return source;
    }

    private TokenVerifier verifier() {
        return new TokenVerifier(source, TokenVerifier.Options.defaults());
    }

    @Test
    void aRotatedKeyIsAcceptedAfterOneRefetch() {
        start(server.uri(), Duration.ZERO);
        assertThat(server.hits()).isEqualTo(1);
        server.publish(K2); // rotation: k1 dropped, k2 added

        String token = sign(K2, claims(Instant.now()).build());
        assertThat(verifier().verify("Bearer " + token).subject()).isEqualTo("alice");
        assertThat(server.hits()).isEqualTo(2);
        assertThat(verifier().verify("Bearer " + token).subject()).isEqualTo("alice");
        assertThat(server.hits()).as("known kid: no further fetch").isEqualTo(2);
    }

    @Test
    void aJwksAnswerStallingMidBodyDoesNotHoldUnknownKidRequests() throws Exception {
        source = new JwksKeySource(server.uri(), HTTP, Duration.ofHours(1), Duration.ZERO, Duration.ofMillis(500),
                clock, ticker::get);
        source.start();
        server.stallMidBody();
        String unknownKid = sign(K2, claims(Instant.now()).build());
        ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor();
        try {
            // One request fetches (and meets the stall), the others wait for its lock: all must answer 401
            // while the server still stalls. The bound is only a guard against hanging the build.
            List<Future<Throwable>> answers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                answers.add(requests.submit(() -> catchThrowable(() -> verifier().verify("Bearer " + unknownKid))));
            }
            for (Future<Throwable> answer : answers) {
                assertThat(answer.get(60, java.util.concurrent.TimeUnit.SECONDS)).isInstanceOf(AuthException.class);
            }
            assertThat(source.health().lastErrorDetail()).contains("timeout");
            assertThat(verifier().verify("Bearer " + sign(K1, claims(Instant.now()).build())).subject())
                    .as("the keys it had still work").isEqualTo("alice");
        } finally {
            server.releaseStalls();
            requests.shutdownNow();
        }
        server.publish(K1, K2);
        assertThat(source.refresh()).as("a later fetch works again").isTrue();
    }

    @Test
    void aJwksDocumentOverOneMebibyteIsRefused() {
        server.publishRaw("{\"keys\":[],\"pad\":\"" + "x".repeat(1024 * 1024) + "\"}");
        start(server.uri(), Duration.ZERO);
        assertThat(source.health().lastErrorDetail()).contains("invalid_response");
        assertThat(source.health().lastError().orElseThrow()).contains("1 MiB");
    }

    @Test
    void thePeriodicRefreshSurvivesAnErrorInOneRun() throws Exception {
        // Call 1 is start()'s own fetch, call 2 the first scheduled refresh: it throws an Error.
        HttpClient failing = new FailingOnceHttpClient(HTTP, 2, () -> new NoClassDefFoundError("gone"));
        source = new JwksKeySource(server.uri(), failing, Duration.ofMillis(20), Duration.ZERO,
                Duration.ofSeconds(2), clock, ticker::get);
        source.start();
        // Bounded wait for a scheduled refresh after the failing one (without the guard there is none).
        for (int i = 0; i < 600 && server.hits() < 2; i++) {
            Thread.sleep(100);
        }
        assertThat(server.hits()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void unknownKidRefetchesAreRateLimited() {
        start(server.uri(), Duration.ofSeconds(30));
        TokenVerifier verifier = verifier();
        for (int i = 0; i < 50; i++) {
            String token = sign(K1, "random-" + i, claims(Instant.now()).build());
            assertThatThrownBy(() -> verifier.verify("Bearer " + token)).isInstanceOf(AuthException.class);
        }
        assertThat(server.hits()).as("only the startup fetch within the interval").isEqualTo(1);

        ticker.addAndGet(Duration.ofSeconds(31).toNanos());
        server.publish(K1, K2);
        assertThat(verifier.verify("Bearer " + sign(K2, claims(Instant.now()).build())).subject()).isEqualTo("alice");
        assertThat(server.hits()).isEqualTo(2);
    }

    @Test
    void aBackwardWallClockStepDoesNotStretchTheRefetchLimit() {
        start(server.uri(), Duration.ofSeconds(30));
        clock.advance(Duration.ofHours(-1)); // NTP steps the wall clock back after the startup fetch
        ticker.addAndGet(Duration.ofSeconds(31).toNanos());
        server.publish(K1, K2);
        assertThat(verifier().verify("Bearer " + sign(K2, claims(Instant.now()).build())).subject())
                .as("a kid miss 31 s later refetches, whatever the wall clock says").isEqualTo("alice");
        assertThat(server.hits()).isEqualTo(2);
    }

    @Test
    void aBrokenTokenNamingAnUnknownKidCausesNoFetch() {
        start(server.uri(), Duration.ZERO);
        String[] parts = sign(K1, "unknown", claims(Instant.now()).build()).split("\\.");
        for (String broken : new String[] {parts[0] + ".W10." + parts[2], parts[0] + ".bm90IGpzb24." + parts[2]}) {
            assertThatThrownBy(() -> verifier().verify("Bearer " + broken)).isInstanceOf(AuthException.class)
                    .hasMessage("invalid token: malformed token");
        }
        assertThat(server.hits()).as("only the startup fetch").isEqualTo(1);
    }

    @Test
    void concurrentMissesCoalesceIntoOneFetch() throws Exception {
        start(server.uri(), Duration.ZERO);
        server.publish(K2);
        server.delay(300);
        String token = sign(K2, claims(Instant.now()).build());
        int threads = 16;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Principal>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return verifier().verify("Bearer " + token);
                }));
            }
            go.countDown();
            for (Future<Principal> result : results) {
                assertThat(result.get().subject()).isEqualTo("alice");
            }
        }
        assertThat(server.hits()).isEqualTo(2);
    }

    @Test
    void aFailedRefreshKeepsTheLastGoodKeys() {
        start(server.uri(), Duration.ZERO);
        String token = sign(K1, claims(Instant.now()).build());
        server.answerStatus(500);

        assertThat(source.refresh()).isFalse();
        assertThat(verifier().verify("Bearer " + token).subject()).isEqualTo("alice");
        JwksHealth health = source.health();
        assertThat(health.keyCount()).isEqualTo(1);
        assertThat(health.lastSuccess()).isPresent();
        assertThat(health.lastErrorDetail()).contains("http_500");
        assertThat(health.healthy()).isFalse();

        server.answerStatus(200);
        server.publishRaw("{\"keys\":[]}");
        assertThat(source.refresh()).as("an empty key set is not accepted").isFalse();
        assertThat(verifier().verify("Bearer " + token).subject()).isEqualTo("alice");

        server.publish(K1);
        assertThat(source.refresh()).isTrue();
        assertThat(source.health().healthy()).isTrue();
        assertThat(source.health().lastError()).isEmpty();
    }

    @Test
    void unreachableOrMisconfiguredJwksRejectsEveryToken() throws Exception {
        String token = "Bearer " + sign(K1, claims(Instant.now()).build());
        URI closedPort;
        try (JwksTestServer gone = new JwksTestServer()) {
            closedPort = gone.uri();
        }
        start(closedPort, Duration.ZERO);
        assertThatThrownBy(() -> verifier().verify(token)).isInstanceOf(AuthException.class)
                .hasMessage("invalid token: no matching signing key");
        assertThat(source.health().keyCount()).isZero();
        assertThat(source.health().lastErrorDetail()).contains("connection_refused");
        source.close();

        start(server.uri().resolve("/no-such-path"), Duration.ZERO);
        assertThatThrownBy(() -> verifier().verify(token)).isInstanceOf(AuthException.class);
        assertThat(source.health().lastErrorDetail()).contains("http_404");
        source.close();

        server.publishRaw("<html>not json</html>");
        start(server.uri(), Duration.ZERO);
        assertThatThrownBy(() -> verifier().verify(token)).isInstanceOf(AuthException.class);
        assertThat(source.health().lastErrorDetail()).contains("invalid_response");
    }

    @Test
    void weakAndNonSigningKeysAreIgnored() throws Exception {
        RSAKey weak = new RSAKeyGenerator(1024, true).keyID("weak").generate();
        RSAKey encryption = new RSAKeyGenerator(2048).keyID("enc").keyUse(com.nimbusds.jose.jwk.KeyUse.ENCRYPTION).generate();
        server.publish(weak, encryption);
        start(server.uri(), Duration.ZERO);
        assertThat(source.health().keyCount()).isZero();
        SignedJWT weakToken = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("weak").build(),
                claims(Instant.now()).build());
        weakToken.sign(new RSASSASigner(weak.toPrivateKey(), true));
        assertThatThrownBy(() -> verifier().verify("Bearer " + weakToken.serialize())).isInstanceOf(AuthException.class);
        assertThatThrownBy(() -> verifier().verify("Bearer " + sign(encryption, claims(Instant.now()).build())))
                .isInstanceOf(AuthException.class);
    }

    @Test
    void aPublishedKeyWithoutKidServesTokensWithoutKid() throws Exception {
        RSAKey anonymous = new RSAKeyGenerator(2048).generate();
        server.publish(anonymous);
        start(server.uri(), Duration.ZERO);
        assertThat(source.health().keyCount()).isEqualTo(1);
        assertThat(verifier().verify("Bearer " + sign(anonymous, (String) null, claims(Instant.now()).build())).subject())
                .isEqualTo("alice");
        assertThatThrownBy(() -> verifier().verify("Bearer " + sign(anonymous, "k9", claims(Instant.now()).build())))
                .isInstanceOf(AuthException.class).hasMessage("invalid token: no matching signing key");
    }

    @Test
    void keysOfOtherTypesAreSkippedAndABrokenRsaKeyFailsTheDocument() throws Exception {
        String ec = new com.nimbusds.jose.jwk.gen.ECKeyGenerator(com.nimbusds.jose.jwk.Curve.P_256).keyID("ec")
                .generate().toPublicJWK().toJSONString();
        String k1 = K1.toPublicJWK().toJSONString();
        server.publishRaw("{\"keys\":[" + ec + ",{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"AA\"}," + k1 + "]}");
        start(server.uri(), Duration.ZERO);
        assertThat(source.health().keyCount()).isEqualTo(1);
        String token = "Bearer " + sign(K1, claims(Instant.now()).build());
        assertThat(verifier().verify(token).subject()).isEqualTo("alice");

        server.publishRaw("{\"keys\":[" + k1 + ",{\"kty\":\"RSA\",\"kid\":\"bad\",\"n\":\"!\",\"e\":\"AQAB\"}]}");
        assertThat(source.refresh()).isFalse();
        assertThat(source.health().lastErrorDetail()).contains("invalid_response");
        assertThat(verifier().verify(token).subject()).as("the last good keys stay").isEqualTo("alice");

        for (String notASet : new String[] {"[]", "{\"keys\":{}}", "{\"keys\":[1]}", "{}"}) {
            server.publishRaw(notASet);
            assertThat(source.refresh()).as(notASet).isFalse();
            assertThat(source.health().lastError()).contains("JWKS document is not a valid JWK set");
        }
    }

    @Test
    void aTokenWithoutKidIsRejectedWhenSeveralKeysArePublished() {
        server.publish(K1, K2);
        start(server.uri(), Duration.ZERO);
        assertThatThrownBy(() -> verifier().verify("Bearer " + sign(K1, (String) null, claims(Instant.now()).build())))
                .isInstanceOf(AuthException.class);
    }

    @Test
    void fetchesOverHttpsWhenTheExtraCaBundleIsTrusted(@TempDir Path dir) throws Exception {
        SelfSignedTls tls = SelfSignedTls.create(dir);
        try (HttpsJwks https = new HttpsJwks(tls, new com.nimbusds.jose.jwk.JWKSet(K1).toString(true))) {
            HttpClient trusting = OutboundTls.httpClient(Optional.of(tls.certificatePem()), Duration.ofSeconds(2));
            source = new JwksKeySource(https.uri(), trusting, Duration.ofHours(1), Duration.ZERO, Duration.ofSeconds(2));
            assertThat(source.refresh()).isTrue();
            source.close();

            source = new JwksKeySource(https.uri(), HTTP, Duration.ofHours(1), Duration.ZERO, Duration.ofSeconds(2));
            assertThat(source.refresh()).as("default trust does not know the self-signed CA").isFalse();
            assertThat(source.health().lastErrorDetail()).contains("tls_error");
        }
    }

    @Test
    void aCaBundleWithoutCertificatesIsAStartupError(@TempDir Path dir) throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.pem"), "nothing here\n");
        assertThatThrownBy(() -> OutboundTls.sslContext(Optional.of(empty))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OutboundTls.sslContext(Optional.of(dir.resolve("missing.pem"))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
