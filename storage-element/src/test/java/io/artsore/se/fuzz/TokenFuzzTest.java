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
import io.artsore.se.testing.RandomInputs;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

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

    private static final String B64_NOISE = "ABCxyz019-_=.+/";
    /** Missing or foreign schemes, empty or too few segments, an oversized token, an unsigned ("none") token. */
    private static final List<String> ODD_HEADERS = List.of("Bearer", "Bearer ", "bearer  x", "Basic YTpi",
            "Bearer a.b", "Bearer ..", "Bearer ...", "Bearer " + "a".repeat(20_000),
            "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.");
    private static final String[] CLAIM_NAMES = {"sub", "exp", "nbf", "iat", "iss", "aud", "scope", "scopes"};
    private static final String[] CLAIM_VALUES = {"null", "1", "-1", "1e308", "\"x\"", "[]", "{}", "[1]", "[null]",
        "\"files:read files:write\"", "99999999999999999999999", "true"};

    @Test
    void arbitraryHeadersAreOnlyEverRejectedWithAuthException() {
        RandomInputs.forAll(ODD_HEADERS, 3000, TokenFuzzTest::header, header -> {
            try {
                VERIFIER.verify(header);
            } catch (AuthException expected) {
                return;
            }
            throw new AssertionError("accepted a random header: " + header);
        });
    }

    @Test
    void mutatedValidTokensAreRejectedWithAuthException() {
        byte[] valid = VALID.getBytes(StandardCharsets.US_ASCII);
        RandomInputs.forAll(Mutations.edgeCases(4), 3000, random -> Mutations.random(random, 4), mutation -> {
            String token = new String(mutation.apply(valid), StandardCharsets.ISO_8859_1);
            try {
                assertThat(VERIFIER.verify("Bearer " + token).subject()).isEqualTo("alice");
                // Only a mutation that changes nothing signed may pass: surrounding blanks, or base64url noise in
                // the signature that decodes to the same bytes. The signed header and claims must be the original.
                String[] got = token.strip().split("\\.", -1);
                String[] original = VALID.split("\\.", -1);
                assertThat(got).hasSize(3);
                assertThat(got[0] + "." + got[1]).isEqualTo(original[0] + "." + original[1]);
                assertThat(new Base64URL(got[2]).decode()).isEqualTo(new Base64URL(original[2]).decode());
            } catch (AuthException expected) {
                // a 401
            }
        });
    }

    @Test
    void validlySignedHostileClaimsAreOnlyEverRejectedWithAuthException() {
        RandomInputs.forAll(everyClaimAlone(), 2000, TokenFuzzTest::claimSet, claims -> {
            try {
                VERIFIER.verify("Bearer " + sign(claims));
            } catch (AuthException expected) {
                // a 401
            }
        });
    }

    /** Any string; base64url noise; three base64url-encoded printable strings; or a hand-picked one, a quarter each. */
    private static String header(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> RandomInputs.anyString(random, 500);
            case 1 -> "Bearer " + RandomInputs.string(random, B64_NOISE, 0, 300);
            case 2 -> {
                String s = b64url(RandomInputs.string(random, ' ', '~', 0, 200));
                yield "Bearer " + s + "." + s + "." + s;
            }
            default -> ODD_HEADERS.get(random.nextInt(ODD_HEADERS.size()));
        };
    }

    /** An object of up to eight claims, names and values hand-picked (names may repeat). */
    private static String claimSet(Random random) {
        List<String> claims = new ArrayList<>();
        for (int i = RandomInputs.length(random, 0, 8); i > 0; i--) {
            claims.add(claim(RandomInputs.oneOf(random, CLAIM_NAMES), RandomInputs.oneOf(random, CLAIM_VALUES)));
        }
        return "{" + String.join(",", claims) + "}";
    }

    /** The empty claims set, and each name with each value on its own. */
    private static List<String> everyClaimAlone() {
        List<String> cases = new ArrayList<>(List.of("{}"));
        for (String name : CLAIM_NAMES) {
            for (String value : CLAIM_VALUES) {
                cases.add("{" + claim(name, value) + "}");
            }
        }
        return cases;
    }

    private static String claim(String name, String value) {
        return "\"" + name + "\":" + value;
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
