package io.artsore.se.server;

import io.artsore.se.api.ErrorResponses;
import io.artsore.se.api.Json;
import io.artsore.se.domain.ErrorCode;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;
import java.util.Locale;

/**
 * Answers the errors Helidon handles itself, before any route runs (malformed request lines, oversized or
 * truncated heads, unsupported HTTP versions), with the JSON envelope.
 *
 * <p>Helidon reports some of these client mistakes as 500 "Internal error" (a method that is not an RFC 9110
 * token, a head cut short by end of stream) and passes no cause here. Everything past parsing is caught by
 * {@link io.artsore.se.api.RouteTable}, so a 500 arriving here comes from reading the request: it is answered
 * as the client error it is (400), and Helidon still logs the cause.
 */
final class JsonDirectHandler implements DirectHandler {
    private JsonDirectHandler() {
    }

    static DirectHandlers forAllEvents() {
        DirectHandler handler = new JsonDirectHandler();
        DirectHandlers.Builder b = DirectHandlers.builder();
        for (EventType type : EventType.values()) {
            b.addHandler(type, handler);
        }
        return b.build();
    }

    @Override
    public TransportResponse handle(TransportRequest request, EventType eventType, Status status,
                                    ServerResponseHeaders headers, String message) {
        if (status.code() == 500) {
            return respond(Status.BAD_REQUEST_400, headers, ErrorCode.VALIDATION_ERROR,
                    "bad request: malformed HTTP request", false);
        }
        ErrorCode code = switch (status.code()) {
            case 401 -> ErrorCode.UNAUTHORIZED;
            case 403 -> ErrorCode.FORBIDDEN;
            case 404 -> ErrorCode.NOT_FOUND;
            case 413 -> ErrorCode.FILE_TOO_LARGE;
            default -> status.code() >= 500 && status.code() != 505 ? ErrorCode.INTERNAL_ERROR
                    : ErrorCode.VALIDATION_ERROR; // 400, 405, 505 (HTTP/1.1 required), other 4xx
        };
        String text = code == ErrorCode.INTERNAL_ERROR ? "internal error"
                : status.code() == 505 ? "HTTP/1.1 required"
                : "bad request: " + status.reasonPhrase().toLowerCase(Locale.ROOT);
        return respond(status, headers, code, text, eventType.keepAlive());
    }

    private static TransportResponse respond(Status status, ServerResponseHeaders headers, ErrorCode code,
                                             String message, boolean keepAlive) {
        return TransportResponse.builder()
                .status(status)
                .headers(headers)
                .header(HeaderNames.CONTENT_TYPE, Json.CONTENT_TYPE)
                .entity(ErrorResponses.body(code, message))
                .keepAlive(keepAlive)
                .build();
    }
}
