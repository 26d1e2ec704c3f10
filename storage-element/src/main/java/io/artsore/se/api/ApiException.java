package io.artsore.se.api;

import io.artsore.se.domain.ErrorCode;
import io.artsore.se.domain.SeException;
import java.util.Map;

/** An error response with extra headers the contract requires (WWW-Authenticate, Content-Range, Retry-After). */
public final class ApiException extends SeException {
    private final Map<String, String> headers;
    private final int status;

    public ApiException(ErrorCode code, String message) {
        this(code, message, Map.of());
    }

    public ApiException(ErrorCode code, String message, Map<String, String> headers) {
        this(code, code.httpStatus(), message, headers);
    }

    /** For the one status the contract has no code of its own for: 405 answers {@code VALIDATION_ERROR}. */
    public ApiException(ErrorCode code, int status, String message, Map<String, String> headers) {
        super(code, message);
        this.status = status;
        this.headers = Map.copyOf(headers);
    }

    public Map<String, String> headers() {
        return headers;
    }

    public int status() {
        return status;
    }

    public static ApiException validation(String message) {
        return new ApiException(ErrorCode.VALIDATION_ERROR, message);
    }
}
