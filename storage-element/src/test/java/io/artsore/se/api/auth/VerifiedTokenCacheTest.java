package io.artsore.se.api.auth;

import static io.artsore.se.api.auth.Tokens.claims;
import static io.artsore.se.api.auth.Tokens.sign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.RSAKey;
import io.artsore.se.testing.MutableClock;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** The verified-token cache inside {@link TokenVerifier}: a remembered token gets no more rights than a fresh one. */
class VerifiedTokenCacheTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final RSAKey K1 = Tokens.rsaKey("k1");
    private static final RSAKey OTHER = Tokens.rsaKey("k1");

    private final MutableClock clock = new MutableClock(NOW);
    private final Map<String, RSAPublicKey> jwks = new ConcurrentHashMap<>(Map.of("k1", publicKey(K1)));
    private final TokenVerifier verifier = verifier(100);

    private TokenVerifier verifier(int cachedTokens) {
        return new TokenVerifier(kid -> Optional.ofNullable(jwks.get(kid)),
                new TokenVerifier.Options(Duration.ofSeconds(30), Optional.of("test-issuer"), Optional.of("se")),
                clock, cachedTokens);
    }

    private static RSAPublicKey publicKey(RSAKey key) {
        try {
            return key.toRSAPublicKey();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String bearer(String token) {
        return "Bearer " + token;
    }

    @Test
    void aReusedTokenIsRememberedOnceAndGivesTheSameCaller() {
        String token = sign(K1, claims(NOW).build());
        Principal first = verifier.verify(bearer(token));
        Principal again = verifier.verify(bearer(token));
        assertThat(again).isEqualTo(first);
        assertThat(again.subject()).isEqualTo("alice");
        assertThat(again.scopes()).containsExactly("files:read");
        assertThat(verifier.rememberedTokens()).isEqualTo(1);
    }

    @Test
    void aRememberedTokenIsRefusedOnceItExpiresBeyondTheLeeway() {
        String token = sign(K1, claims(NOW).expirationTime(Date.from(NOW.plusSeconds(60))).build());
        verifier.verify(bearer(token));
        clock.advance(Duration.ofSeconds(60 + 30));
        assertThat(verifier.verify(bearer(token)).subject()).isEqualTo("alice"); // still inside the leeway
        clock.advance(Duration.ofSeconds(1));
        assertThatThrownBy(() -> verifier.verify(bearer(token))).isInstanceOf(AuthException.class)
                .hasMessage("invalid token: token expired");
    }

    /** Fresh tokens go through helidon's validators, remembered ones through the cache's own check: one answer. */
    @Test
    void freshAndRememberedTokensMeetTheSameTimeBoundsAtTheLeewayEdges() {
        Instant exp = NOW.plusSeconds(60);
        Instant nbf = NOW.plusSeconds(10);
        String token = sign(K1, claims(NOW).notBeforeTime(Date.from(nbf)).expirationTime(Date.from(exp)).build());
        TokenVerifier fresh = verifier(0);
        verifier.verify(bearer(token)); // remembered from here on
        Instant[] edges = {nbf.minusSeconds(31), nbf.minusSeconds(30), exp.plusSeconds(30), exp.plusSeconds(31)};
        for (Instant at : edges) {
            clock.set(at);
            assertThat(outcome(verifier, token)).as("remembered, at %s", at).isEqualTo(outcome(fresh, token));
        }
        clock.set(nbf.minusSeconds(31));
        assertThat(outcome(fresh, token)).isEqualTo("invalid token: token not yet valid");
        clock.set(exp.plusSeconds(30));
        assertThat(outcome(fresh, token)).isEqualTo("alice");
        assertThat(verifier.rememberedTokens()).isEqualTo(1);
    }

    private static String outcome(TokenVerifier verifier, String token) {
        try {
            return verifier.verify(bearer(token)).subject();
        } catch (AuthException e) {
            return e.getMessage();
        }
    }

    @Test
    void aRememberedTokenIsRefusedAsSoonAsItsKeyLeavesTheJwks() {
        String token = sign(K1, claims(NOW).build());
        verifier.verify(bearer(token));
        jwks.remove("k1");
        assertThatThrownBy(() -> verifier.verify(bearer(token))).isInstanceOf(AuthException.class)
                .hasMessage("invalid token: no matching signing key");
        assertThat(verifier.rememberedTokens()).isZero();
    }

    @Test
    void aRememberedTokenIsRefusedWhenItsKidNowNamesAnotherKey() {
        String token = sign(K1, claims(NOW).build());
        verifier.verify(bearer(token));
        jwks.put("k1", publicKey(OTHER));
        assertThatThrownBy(() -> verifier.verify(bearer(token))).isInstanceOf(AuthException.class)
                .hasMessage("invalid token: invalid signature");
    }

    @Test
    void refusedTokensAreNeverRemembered() {
        String forged = sign(OTHER, claims(NOW).build());
        String expired = sign(K1, claims(NOW.minusSeconds(7200)).build());
        String wrongAudience = sign(K1, claims(NOW).audience("elsewhere").build());
        for (String token : new String[] {forged, expired, wrongAudience}) {
            for (int i = 0; i < 2; i++) {
                assertThatThrownBy(() -> verifier.verify(bearer(token))).isInstanceOf(AuthException.class);
            }
        }
        assertThat(verifier.rememberedTokens()).isZero();
    }

    @Test
    void aTokenThatDiffersInOneCharacterIsVerifiedOnItsOwn() {
        String token = sign(K1, claims(NOW).build());
        verifier.verify(bearer(token));
        // a character in the middle of the signature (the last one may only carry padding bits)
        int at = token.lastIndexOf('.') + 20;
        String tampered = token.substring(0, at) + (token.charAt(at) == 'A' ? 'B' : 'A') + token.substring(at + 1);
        assertThatThrownBy(() -> verifier.verify(bearer(tampered))).isInstanceOf(AuthException.class);
        assertThat(verifier.rememberedTokens()).isEqualTo(1);
    }

    @Test
    void tokensThatDifferOnlyInNonAsciiCharactersHaveTheirOwnEntries() {
        // A key lossy to '?' (US-ASCII) would hand the first token's caller to the second token.
        VerifiedTokenCache cache = new VerifiedTokenCache(10);
        VerifiedTokenCache.Entry alice = new VerifiedTokenCache.Entry(new Principal("alice", java.util.Set.of()),
                "k1", publicKey(K1), NOW.plusSeconds(60), Optional.empty());
        cache.remember("h.p\u00e9.s", alice);
        assertThat(cache.find("h.p\u00e8.s")).isEmpty();
        assertThat(cache.find("h.p\u4e2d.s")).isEmpty();
        assertThat(cache.find("h.p?.s")).isEmpty();
        assertThat(cache.find("h.p\u00e9.s")).contains(alice);
    }

    @Test
    void theCacheStaysWithinItsBoundAndEveryTokenStillVerifies() {
        TokenVerifier small = verifier(3);
        for (int i = 0; i < 10; i++) {
            String token = sign(K1, claims(NOW).subject("user-" + i).build());
            assertThat(small.verify(bearer(token)).subject()).isEqualTo("user-" + i);
            assertThat(small.verify(bearer(token)).subject()).isEqualTo("user-" + i);
            assertThat(small.rememberedTokens()).isBetween(1, 3);
        }
    }

    @Test
    void withNoCacheEveryRequestIsVerifiedAndNothingIsKept() {
        TokenVerifier uncached = verifier(0);
        String token = sign(K1, claims(NOW).build());
        uncached.verify(bearer(token));
        uncached.verify(bearer(token));
        assertThat(uncached.rememberedTokens()).isZero();
        jwks.remove("k1");
        assertThatThrownBy(() -> uncached.verify(bearer(token))).isInstanceOf(AuthException.class);
    }
}
