package io.artsore.se.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.artsore.se.api.auth.AuthException;
import io.artsore.se.api.auth.TokenVerifier;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Hostile {@code Authorization} headers: {@link TokenVerifier#verify} either accepts an unmodified valid token or
 * throws {@link AuthException} (a 401) — never another exception, and a changed token is never accepted.
 */
class TokenFuzzTest {
    private static final RSAKey KEY = newKey();
    private static final TokenVerifier VERIFIER = new TokenVerifier(
            kid -> Optional.of(rsa()), TokenVerifier.Options.defaults());
    private static final String VALID = sign("""
            {"sub":"alice","scopes":["files:read"],"exp":%d}""".formatted(Instant.now().plusSeconds(86400)
            .getEpochSecond()));

    @Property(tries = 3000)
    void arbitraryHeadersAreOnlyEverRejectedWithAuthException(@ForAll("headers") String header) {
        try {
            VERIFIER.verify(header);
        } catch (AuthException expected) {
            return;
        }
        throw new AssertionError("accepted a random header: " + header);
    }

    @Property(tries = 3000)
    void mutatedValidTokensAreRejectedWithAuthException(@ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int rounds) {
        byte[] mutated = Mutations.mutate(VALID.getBytes(StandardCharsets.US_ASCII), seed, rounds);
        String token = new String(mutated, StandardCharsets.ISO_8859_1);
        try {
            assertThat(VERIFIER.verify("Bearer " + token).subject()).isEqualTo("alice");
            // Only a mutation that changes nothing signed may pass: surrounding blanks, or base64url noise in the
            // signature that decodes to the same bytes. The signed header and claims must be the original ones.
            String[] got = token.strip().split("\\.", -1);
            String[] valid = VALID.split("\\.", -1);
            assertThat(got).hasSize(3);
            assertThat(got[0] + "." + got[1]).isEqualTo(valid[0] + "." + valid[1]);
            assertThat(new Base64URL(got[2]).decode()).isEqualTo(new Base64URL(valid[2]).decode());
        } catch (AuthException expected) {
            // a 401
        }
    }

    @Property(tries = 2000)
    void validlySignedHostileClaimsAreOnlyEverRejectedWithAuthException(@ForAll("claimSets") String claims) {
        try {
            VERIFIER.verify("Bearer " + sign(claims));
        } catch (AuthException expected) {
            // a 401
        }
    }

    @Provide
    Arbitrary<String> headers() {
        Arbitrary<String> b64 = Arbitraries.strings().withChars("ABCxyz019-_=.+/").ofMaxLength(300);
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(500),
                b64.map(s -> "Bearer " + s),
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(200).map(s -> "Bearer " + b64url(s) + "."
                        + b64url(s) + "." + b64url(s)),
                Arbitraries.of("Bearer", "Bearer ", "bearer  x", "Basic YTpi", "Bearer a.b", "Bearer ..", "Bearer ...",
                        "Bearer " + "a".repeat(20_000), "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."));
    }

    @Provide
    Arbitrary<String> claimSets() {
        Arbitrary<String> value = Arbitraries.of("null", "1", "-1", "1e308", "\"x\"", "[]", "{}", "[1]", "[null]",
                "\"files:read files:write\"", "99999999999999999999999", "true");
        Arbitrary<String> name = Arbitraries.of("sub", "exp", "nbf", "iat", "iss", "aud", "scope", "scopes");
        return net.jqwik.api.Combinators.combine(name, value).as((n, v) -> "\"" + n + "\":" + v).list().ofMaxSize(8)
                .map(l -> "{" + String.join(",", l) + "}");
    }

    private static String b64url(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Signs raw claims JSON (not necessarily a valid claims set) with the trusted key. */
    private static String sign(String claimsJson) {
        try {
            SignedJWT jwt;
            try {
                jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k").build(),
                        JWTClaimsSet.parse(claimsJson));
            } catch (java.text.ParseException e) {
                // not even a JSON object nimbus accepts: sign the raw bytes by hand
                return rawSigned(claimsJson);
            }
            jwt.sign(new RSASSASigner(KEY));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String rawSigned(String payload) throws JOSEException {
        String signingInput = b64url("{\"alg\":\"RS256\",\"kid\":\"k\"}") + "." + b64url(payload);
        Base64URL sig = new RSASSASigner(KEY).sign(
                new JWSHeader(JWSAlgorithm.RS256), signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + sig;
    }

    private static java.security.interfaces.RSAPublicKey rsa() {
        try {
            return KEY.toRSAPublicKey();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RSAKey newKey() {
        try {
            return new RSAKeyGenerator(2048).keyID("k").generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
