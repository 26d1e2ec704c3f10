package io.artsore.se.api.auth;

import java.security.interfaces.RSAPublicKey;
import java.util.Optional;

/** Finds the RS256 verification key for a token. */
@FunctionalInterface
public interface KeyLookup {
    /**
     * @param kid the token's {@code kid}, or null when it has none (then a source with exactly one key may
     *            return that key)
     */
    Optional<RSAPublicKey> find(String kid);
}
