package io.artsore.se.api;

import io.artsore.se.domain.ErrorCode;
import io.artsore.se.domain.SeException;
import java.util.Map;

/** An error response with extra headers the contract requires (WWW-Authenticate, Content-Range, Retry-After). */
public final class ApiException extends SeException {
    private final Map<String, String> headers;

    public ApiException(ErrorCode code, String message) {
        this(code, message, Map.of());
    }

    public ApiException(ErrorCode code, String message, Map<String, String> headers) {
        super(code, message);
        this.headers = Map.copyOf(headers);
    }

    public Map<String, String> headers() {
        return headers;
    }

    public static ApiException validation(String message) {
        return new ApiException(ErrorCode.VALIDATION_ERROR, message);
    }
}
