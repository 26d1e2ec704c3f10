package io.artsore.se.domain;

/** The contract's error codes (§3) with their HTTP status. */
public enum ErrorCode {
    VALIDATION_ERROR(400),
    UNAUTHORIZED(401),
    FORBIDDEN(403),
    NOT_FOUND(404),
    MODE_NOT_ALLOWED(409),
    INVALID_TRANSITION(409),
    CONFIRMATION_REQUIRED(409),
    RECONCILE_IN_PROGRESS(409),
    FILE_TOO_LARGE(413),
    INVALID_RANGE(416),
    STORAGE_FULL(507),
    INTERNAL_ERROR(500),
    /** Additive: a follower that knows no leader (docs/contract.md §3). */
    LEADER_UNAVAILABLE(503),
    /** Additive: the file's sidecar exists but cannot be read; never a 404, which means gone for good (§15). */
    METADATA_CORRUPT(500),
    /** Additive: the transfer-buffer budget stayed exhausted for its bounded wait; sent with Retry-After. */
    SERVER_BUSY(503);

    private final int httpStatus;

    ErrorCode(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
