package io.artsore.se.api.auth;

import io.helidon.security.jwt.Jwt;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * The JSON types RFC 7519 §4.1 gives the registered claims. Helidon's typed accessors read a string claim of
 * another type as absent and a time claim beyond {@code long} as its low 64 bits, so a {@code sub} array would
 * pass as "no subject" and an absurd {@code exp} could wrap into a plausible one; here such a token is malformed.
 */
final class RegisteredClaims {
    private static final List<String> STRINGS = List.of("iss", "sub", "jti");
    private static final List<String> TIMES = List.of("exp", "nbf", "iat");
    private static final BigDecimal MIN_SECONDS = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal MAX_SECONDS = BigDecimal.valueOf(Long.MAX_VALUE);

    private RegisteredClaims() {
    }

    /** @throws AuthException a 401 "malformed token" when one has the wrong type */
    static void checkTypes(Jwt jwt) {
        Map<String, JsonValue> claims = jwt.payloadClaims();
        boolean wellTyped = STRINGS.stream().map(claims::get).allMatch(v -> !present(v) || v instanceof JsonString)
                && TIMES.stream().map(claims::get).allMatch(v -> !present(v) || fitsInLong(v))
                && audienceWellTyped(claims.get("aud"));
        if (!wellTyped) {
            throw AuthException.invalidToken("malformed token");
        }
    }

    /** JSON null counts as absent, as it did before. */
    static boolean present(JsonValue value) {
        return value != null && value.getValueType() != JsonValue.ValueType.NULL;
    }

    private static boolean audienceWellTyped(JsonValue aud) {
        return !present(aud) || aud instanceof JsonString
                || aud instanceof JsonArray array && array.stream().allMatch(JsonString.class::isInstance);
    }

    /** Compares without expanding the number: a huge exponent costs nothing. */
    private static boolean fitsInLong(JsonValue value) {
        if (!(value instanceof JsonNumber number)) {
            return false;
        }
        BigDecimal seconds = number.bigDecimalValue();
        return seconds.compareTo(MIN_SECONDS) >= 0 && seconds.compareTo(MAX_SECONDS) <= 0;
    }
}
