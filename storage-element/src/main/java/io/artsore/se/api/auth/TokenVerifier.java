package io.artsore.se.api.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies {@code Authorization: Bearer <JWT>} headers (docs/contract.md §5): RS256 only, signature checked with a key
 * from {@link KeyLookup} before any claim is trusted, {@code exp} required, {@code nbf} honoured (both with
 * {@link Options#leeway()}), optional {@code iss}/{@code aud} checks, {@code sub} required. Scopes are the union
 * of the {@code scopes} array claim and the space-separated {@code scope} claim. Keys embedded in the token
 * ({@code jwk}, {@code jku}, {@code x5u}, {@code x5c}) are never used. Verified tokens are remembered
 * ({@link VerifiedTokenCache}); a remembered token is still refused once expired or when its key changed.
 * Thread-safe.
 */
public final class TokenVerifier {
    /** Longest accepted Authorization header value, in characters. */
    public static final int MAX_HEADER_CHARS = 8 * 1024;

    /**
     * @param leeway   clock skew tolerated for {@code exp} and {@code nbf}
     * @param issuer   required {@code iss}, if configured
     * @param audience a value that {@code aud} must contain, if configured
     */
    public record Options(Duration leeway, Optional<String> issuer, Optional<String> audience) {
        public static final Duration DEFAULT_LEEWAY = Duration.ofSeconds(30);

        public Options {
            if (leeway.isNegative()) {
                throw new IllegalArgumentException("leeway must be >= 0");
            }
            Objects.requireNonNull(issuer, "issuer");
            Objects.requireNonNull(audience, "audience");
        }

        public static Options defaults() {
            return new Options(DEFAULT_LEEWAY, Optional.empty(), Optional.empty());
        }
    }

    private final KeyLookup keys;
    private final Options options;
    private final Clock clock;
    private final VerifiedTokenCache verified;

    public TokenVerifier(KeyLookup keys, Options options) {
        this(keys, options, Clock.systemUTC());
    }

    public TokenVerifier(KeyLookup keys, Options options, Clock clock) {
        this(keys, options, clock, VerifiedTokenCache.DEFAULT_MAX_ENTRIES);
    }

    /** @param cachedTokens how many verified tokens to remember (0: verify every signature every time) */
    TokenVerifier(KeyLookup keys, Options options, Clock clock, int cachedTokens) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.options = Objects.requireNonNull(options, "options");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.verified = new VerifiedTokenCache(cachedTokens);
    }

    /**
     * @param authorizationHeaderValue the raw header value, null when absent
     * @return the authenticated caller
     * @throws AuthException when the header is missing or the token is not acceptable
     */
    public Principal verify(String authorizationHeaderValue) {
        String token = bearerToken(authorizationHeaderValue);
        Optional<VerifiedTokenCache.Entry> cached = verified.find(token);
        if (cached.isPresent()) {
            VerifiedTokenCache.Entry hit = cached.get();
            if (keys.find(hit.kid()).filter(hit.key()::equals).isPresent()) {
                checkTimes(hit.expiresAt(), hit.notBefore());
                return hit.principal();
            }
            verified.forget(token); // its key was rotated out or replaced: verify from scratch
        }
        SignedJWT jwt = parse(token);
        if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())) {
            throw AuthException.invalidToken("unsupported algorithm");
        }
        String kid = jwt.getHeader().getKeyID();
        RSAPublicKey key = keys.find(kid).orElseThrow(() -> AuthException.invalidToken("no matching signing key"));
        if (!signatureValid(jwt, key)) {
            throw AuthException.invalidToken("invalid signature");
        }
        JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw AuthException.invalidToken("malformed token");
        }
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            throw AuthException.invalidToken("missing expiry");
        }
        Optional<Instant> nbf = Optional.ofNullable(claims.getNotBeforeTime()).map(Date::toInstant);
        checkTimes(exp.toInstant(), nbf);
        options.issuer().ifPresent(iss -> {
            if (!iss.equals(claims.getClaim("iss"))) {
                throw AuthException.invalidToken("issuer mismatch");
            }
        });
        options.audience().ifPresent(aud -> {
            if (claims.getAudience() == null || !claims.getAudience().contains(aud)) {
                throw AuthException.invalidToken("audience mismatch");
            }
        });
        if (!(claims.getClaim("sub") instanceof String subject) || subject.isBlank()) {
            throw AuthException.invalidToken("missing subject");
        }
        Principal principal = new Principal(subject, scopes(claims));
        verified.remember(token, new VerifiedTokenCache.Entry(principal, kid, key, exp.toInstant(), nbf));
        return principal;
    }

    /** How many verified tokens are remembered now. */
    int rememberedTokens() {
        return verified.size();
    }

    private static String bearerToken(String header) {
        if (header == null || header.isBlank()) {
            throw AuthException.missingToken();
        }
        if (header.length() > MAX_HEADER_CHARS) {
            throw AuthException.invalidToken("token too large");
        }
        String value = header.strip();
        int space = value.indexOf(' ');
        if (space < 0 || !value.substring(0, space).toLowerCase(Locale.ROOT).equals("bearer")) {
            throw AuthException.invalidToken("bearer token expected");
        }
        String token = value.substring(space + 1).strip();
        if (token.isEmpty()) {
            throw AuthException.invalidToken("bearer token expected");
        }
        return token;
    }

    private static SignedJWT parse(String token) {
        try {
            return SignedJWT.parse(token);
        } catch (ParseException | RuntimeException e) {
            // alg "none" (an unsecured JWT) also ends here: it is not a JWS.
            throw AuthException.invalidToken("malformed token");
        }
    }

    private static boolean signatureValid(SignedJWT jwt, RSAPublicKey key) {
        try {
            return jwt.verify(new RSASSAVerifier(key));
        } catch (JOSEException | RuntimeException e) {
            return false;
        }
    }

    private void checkTimes(Instant expiresAt, Optional<Instant> notBefore) {
        Instant now = clock.instant();
        if (now.isAfter(expiresAt.plus(options.leeway()))) {
            throw AuthException.invalidToken("token expired");
        }
        if (notBefore.isPresent() && now.plus(options.leeway()).isBefore(notBefore.get())) {
            throw AuthException.invalidToken("token not yet valid");
        }
    }

    private static Set<String> scopes(JWTClaimsSet claims) {
        Set<String> scopes = new HashSet<>();
        Object array = claims.getClaim("scopes");
        if (array != null) {
            if (!(array instanceof List<?> list) || !list.stream().allMatch(String.class::isInstance)) {
                throw AuthException.invalidToken("malformed scopes claim");
            }
            list.forEach(s -> scopes.add((String) s));
        }
        Object string = claims.getClaim("scope");
        if (string != null) {
            if (!(string instanceof String s)) {
                throw AuthException.invalidToken("malformed scope claim");
            }
            for (String scope : s.split(" ")) {
                if (!scope.isEmpty()) {
                    scopes.add(scope);
                }
            }
        }
        return scopes;
    }
}
