package io.artsore.se.domain;

import java.time.Duration;
import java.time.Instant;

/** Retention rules of docs/contract.md §4: edit uploads are temporary with a TTL, rw uploads are permanent. */
public record Retention(RetentionPolicy policy, Integer ttlDays, Instant expiresAt) {
    public static final int DEFAULT_TTL_DAYS = 30;
    public static final int MIN_TTL_DAYS = 1;
    public static final int MAX_TTL_DAYS = 365;

    public static boolean isValidTtl(int days) {
        return days >= MIN_TTL_DAYS && days <= MAX_TTL_DAYS;
    }

    /**
     * Retention for an upload in {@code mode}; {@code requestedTtlDays} may be null (default TTL) and is
     * ignored for permanent storage. The caller validates the range first.
     */
    public static Retention forUpload(Mode mode, Integer requestedTtlDays, Instant uploadedAt) {
        if (mode.uploadRetention() == RetentionPolicy.PERMANENT) {
            return new Retention(RetentionPolicy.PERMANENT, null, null);
        }
        int ttl = requestedTtlDays == null ? DEFAULT_TTL_DAYS : requestedTtlDays;
        if (!isValidTtl(ttl)) {
            throw new IllegalArgumentException("ttl_days must be between 1 and 365");
        }
        return new Retention(RetentionPolicy.TEMPORARY, ttl, uploadedAt.plus(Duration.ofDays(ttl)));
    }
}
