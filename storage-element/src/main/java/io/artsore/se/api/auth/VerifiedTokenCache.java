package io.artsore.se.api.auth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tokens that passed a full verification, so a client that reuses one token for thousands of requests pays the
 * RSA signature check once (it was a third of the CPU of a small download). Only successes are kept, keyed by
 * the SHA-256 of the compact token's UTF-8 bytes, which keep every character apart (a forged token can neither
 * collide with a cached one nor fill the cache with failures). What can change while a token is cached is
 * re-checked on every hit by {@link TokenVerifier}: the time window, and that its {@code kid} still resolves to
 * the same key (a key rotated out of the JWKS stops its tokens at once). Bounded: when full, the whole cache is dropped — cheap, and refilled by the next requests.
 */
final class VerifiedTokenCache {
    static final int DEFAULT_MAX_ENTRIES = 10_000;

    /** What a full verification established about one token. */
    record Entry(Principal principal, String kid, RSAPublicKey key, Instant expiresAt, Optional<Instant> notBefore) {
    }

    private final ConcurrentHashMap<ByteBuffer, Entry> entries = new ConcurrentHashMap<>();
    private final int maxEntries;

    VerifiedTokenCache(int maxEntries) {
        if (maxEntries < 0) {
            throw new IllegalArgumentException("maxEntries must be >= 0");
        }
        this.maxEntries = maxEntries;
    }

    Optional<Entry> find(String token) {
        return maxEntries == 0 ? Optional.empty() : Optional.ofNullable(entries.get(digest(token)));
    }

    void remember(String token, Entry entry) {
        if (maxEntries == 0) {
            return;
        }
        if (entries.size() >= maxEntries) {
            entries.clear();
        }
        entries.put(digest(token), entry);
    }

    void forget(String token) {
        entries.remove(digest(token));
    }

    int size() {
        return entries.size();
    }

    private static ByteBuffer digest(String token) {
        try {
            return ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }
}
