package io.artsore.se.api;

import io.artsore.se.domain.ErrorCode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;
import java.util.Map;

/** Writes the contract's error envelope {@code {"error":{"code","message"}}}. */
public final class ErrorResponses {
    private ErrorResponses() {
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
        headers.forEach(res::header);
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, Json.CONTENT_TYPE);
        res.send(body(code, message));
    }
}
