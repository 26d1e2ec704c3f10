package io.artsore.se.api.auth;

import io.helidon.security.jwt.Jwt;
import io.helidon.security.jwt.JwtHeaders;
import io.helidon.security.jwt.JwtValidator;
import io.helidon.security.jwt.SignedJwt;
import io.helidon.security.jwt.jwk.Jwk;
import io.helidon.security.jwt.jwk.JwkKeys;
import io.helidon.security.jwt.jwk.JwkRSA;
import jakarta.json.JsonArray;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies {@code Authorization: Bearer <JWT>} headers (docs/contract.md §5): RS256 only, signature checked with a key
 * from {@link KeyLookup} before any claim is trusted, {@code exp} required, {@code nbf} honoured, an {@code iat}
 * in the future refused (all with {@link Options#leeway()}), optional {@code iss}/{@code aud} checks, {@code sub} required. Scopes are the union
 * of the {@code scopes} array claim and the space-separated {@code scope} claim. Keys embedded in the token
 * ({@code jwk}, {@code jku}, {@code x5u}, {@code x5c}) are never used. Verified tokens are remembered
 * ({@link VerifiedTokenCache}); a remembered token is still refused once expired or when its key changed.
 * Parsing, the signature check and the claim rules are helidon-security-jwt's ({@link SignedJwt},
 * {@link JwtValidator}); this class picks the key, maps each failure to its fixed 401 description and adds what
 * the contract asks beyond them (the scopes union, registered claim types, a required non-blank {@code sub}).
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

    private static final JwkKeys NO_KEYS = JwkKeys.builder().build();
    private static final JwtValidator CRITICAL_HEADERS = JwtValidator.builder().addCriticalValidator().build();

    private final KeyLookup keys;
    private final Options options;
    private final Clock clock;
    private final VerifiedTokenCache verified;
    private final Optional<JwtValidator> issuerCheck;
    private final Optional<JwtValidator> audienceCheck;

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
        this.issuerCheck = options.issuer().map(iss -> JwtValidator.builder().addIssuerValidator(iss, true).build());
        this.audienceCheck = options.audience().map(aud -> JwtValidator.builder().addAudienceValidator(aud).build());
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
        JwtHeaders headers = parseHeaders(token);
        String alg = headers.algorithm().orElse(Jwk.ALG_NONE);
        if (Jwk.ALG_NONE.equals(alg)) {
            throw AuthException.invalidToken("malformed token"); // an unsecured JWT is not a JWS at all
        }
        if (!JwkRSA.ALG_RS256.equals(alg)) {
            throw AuthException.invalidToken("unsupported algorithm");
        }
        SignedJwt signed = parse(headers, token); // before the key lookup: a broken token causes no JWKS refetch
        String kid = headers.keyId().orElse(null);
        RSAPublicKey key = keys.find(kid).orElseThrow(() -> AuthException.invalidToken("no matching signing key"));
        // The key is already chosen (KeyLookup refetches on a miss), so it goes in as the default key beside an
        // empty set: helidon then uses it whether or not the token names a kid, and still matches alg against it.
        if (!signed.verifySignature(NO_KEYS, rs256(kid, key)).isValid()) {
            throw AuthException.invalidToken("invalid signature");
        }
        // Claims are read only now: nothing from an unverified payload reaches the claim parsers.
        Jwt jwt = claims(signed);
        if (!CRITICAL_HEADERS.validate(jwt).isValid()) {
            // RFC 7515 §4.1.11: a JWS whose critical extensions are not understood is invalid
            throw AuthException.invalidToken("invalid signature");
        }
        RegisteredClaims.checkTypes(jwt);
        Instant expiresAt = jwt.expirationTime().orElseThrow(() -> AuthException.invalidToken("missing expiry"));
        Instant now = clock.instant();
        require(jwt, JwtValidator.builder().addExpirationValidator(v -> v.now(now).allowedTimeSkew(options.leeway())
                .mandatory(true)).build(), "token expired");
        require(jwt, JwtValidator.builder().addNotBeforeValidator(v -> v.now(now).allowedTimeSkew(options.leeway()))
                .build(), "token not yet valid");
        if (jwt.issueTime().filter(iat -> iat.isAfter(now.plus(options.leeway()))).isPresent()) {
            // an issuer whose clock runs ahead mints tokens that outlive their intended lifetime
            throw AuthException.invalidToken("token issued in the future");
        }
        issuerCheck.ifPresent(check -> require(jwt, check, "issuer mismatch"));
        audienceCheck.ifPresent(check -> require(jwt, check, "audience mismatch"));
        String subject = jwt.subject().filter(s -> !s.isBlank())
                .orElseThrow(() -> AuthException.invalidToken("missing subject"));
        Principal principal = new Principal(subject, scopes(jwt));
        verified.remember(token, new VerifiedTokenCache.Entry(principal, kid, key, expiresAt, jwt.notBefore()));
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

    private static JwtHeaders parseHeaders(String token) {
        try {
            return JwtHeaders.parseToken(token);
        } catch (RuntimeException e) {
            throw AuthException.invalidToken("malformed token");
        }
    }

    private static SignedJwt parse(JwtHeaders headers, String token) {
        try {
            return SignedJwt.parseToken(headers, token);
        } catch (RuntimeException e) {
            throw AuthException.invalidToken("malformed token");
        }
    }

    /** Helidon reads every claim it knows eagerly; one of the wrong type fails here. */
    private static Jwt claims(SignedJwt signed) {
        try {
            return signed.getJwt();
        } catch (RuntimeException e) {
            throw AuthException.invalidToken("malformed token");
        }
    }

    private static JwkRSA rs256(String kid, RSAPublicKey key) {
        return JwkRSA.builder().publicKey(key).keyId(kid).algorithm(JwkRSA.ALG_RS256).build();
    }

    private static void require(Jwt jwt, JwtValidator check, String failure) {
        if (!check.validate(jwt).isValid()) {
            throw AuthException.invalidToken(failure);
        }
    }

    /**
     * Time bounds of a remembered token, whose claims are no longer at hand: the same bounds as helidon's
     * expiration and not-before validators apply to a fresh one (tested to agree at the leeway edges).
     */
    private void checkTimes(Instant expiresAt, Optional<Instant> notBefore) {
        Instant now = clock.instant();
        if (now.minus(options.leeway()).isAfter(expiresAt)) {
            throw AuthException.invalidToken("token expired");
        }
        if (notBefore.isPresent() && now.plus(options.leeway()).isBefore(notBefore.get())) {
            throw AuthException.invalidToken("token not yet valid");
        }
    }

    private static Set<String> scopes(Jwt jwt) {
        Set<String> scopes = new HashSet<>();
        JsonValue array = jwt.payloadClaims().get("scopes");
        if (RegisteredClaims.present(array)) {
            if (!(array instanceof JsonArray list) || !list.stream().allMatch(JsonString.class::isInstance)) {
                throw AuthException.invalidToken("malformed scopes claim");
            }
            list.forEach(s -> scopes.add(((JsonString) s).getString()));
        }
        JsonValue string = jwt.payloadClaims().get("scope");
        if (RegisteredClaims.present(string)) {
            if (!(string instanceof JsonString s)) {
                throw AuthException.invalidToken("malformed scope claim");
            }
            for (String scope : s.getString().split(" ")) {
                if (!scope.isEmpty()) {
                    scopes.add(scope);
                }
            }
        }
        return scopes;
    }
}
