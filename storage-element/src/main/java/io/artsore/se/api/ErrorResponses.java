package io.artsore.se.api;

import io.artsore.se.domain.ErrorCode;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.ServerResponse;
import java.util.List;
import java.util.Map;

/** Writes the contract's error envelope {@code {"error":{"code","message"}}}. */
public final class ErrorResponses {
    /**
     * Headers that describe a body a handler meant to send. An error answer replaces that body, so they must go:
     * Helidon keeps a Content-Length already set, and the client would wait for the file's length in bytes.
     */
    private static final List<HeaderName> ENTITY_HEADERS = List.of(HeaderNames.CONTENT_LENGTH,
            HeaderNames.CONTENT_DISPOSITION, HeaderNames.CONTENT_RANGE, HeaderNames.CONTENT_ENCODING,
            HeaderNames.ETAG, HeaderNames.LAST_MODIFIED);

    private ErrorResponses() {
    }

    /**
     * For a failure after a body has begun: nothing can be appended without corrupting the framing, so the
     * connection is broken and the client sees an incomplete answer instead of a complete-looking wrong one.
     */
    public static CloseConnectionException abort(String reason, Throwable cause) {
        return new CloseConnectionException(reason, cause);
    }

    record ErrorBody(ErrorDetail error) {
    }

    record ErrorDetail(String code, String message) {
    }

    public static byte[] body(ErrorCode code, String message) {
        return Json.bytes(new ErrorBody(new ErrorDetail(code.name(), message)));
    }

    public static void send(ServerResponse res, ErrorCode code, String message, Map<String, String> headers) {
        send(res, code.httpStatus(), code, message, headers);
    }

    public static void send(ServerResponse res, int status, ErrorCode code, String message,
            Map<String, String> headers) {
        ENTITY_HEADERS.forEach(res.headers()::remove);
        headers.forEach(res::header);
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, Json.CONTENT_TYPE);
        res.send(body(code, message));
    }
}
