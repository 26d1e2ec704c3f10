package io.artsore.se.domain;

/**
 * A failure that maps to one of the contract's error responses. The message is sent to the client, so it
 * must be safe to show: no paths, no stack traces, no secrets.
 */
public class SeException extends RuntimeException {
    private final ErrorCode code;

    public SeException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public SeException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
