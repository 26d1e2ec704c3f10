package io.artsore.se.api;

import io.artsore.se.domain.ErrorCode;
import io.artsore.se.domain.SeException;
import io.artsore.se.logging.Events;
import io.artsore.se.metrics.SeMetrics;
import io.helidon.http.Method;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.LinkedHashMap;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Registers routes so that every response — success, error, unknown path (404), wrong method (405) — is
 * labelled in metrics by its route template (never the raw URL, which would let clients create unbounded
 * label values) and every error is the contract's JSON envelope.
 */
public final class RouteTable {
    static final String UNMATCHED = "unmatched";
    private static final Logger LOG = Logger.getLogger(RouteTable.class.getName());
    /** The budget frees as transfers end; a client retrying after a second usually finds room. */
    private static final String BUSY_RETRY_AFTER_SECONDS = "1";
    private static final Set<String> KNOWN_METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    private final HttpRouting.Builder routing;
    private final SeMetrics metrics;
    private final Map<String, Map<Method, Handler>> routes = new LinkedHashMap<>();

    public RouteTable(HttpRouting.Builder routing, SeMetrics metrics) {
        this.routing = routing;
        this.metrics = metrics;
    }

    public RouteTable add(Method method, String template, Handler handler) {
        routes.computeIfAbsent(template, t -> new LinkedHashMap<>()).put(method, handler);
        return this;
    }

    /**
     * Registers everything: literal paths before templated ones (so {@code GET /api/v1/files/upload} is a
     * wrong method on the upload path, not a malformed file id), a 405 with {@code Allow} after each path's
     * methods, and a JSON 404 for everything else.
     */
    public void finish() {
        routes.entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<String, Map<Method, Handler>> e) -> e.getKey().contains("{")))
                .forEach(e -> register(e.getKey(), e.getValue()));
        routing.any(instrument(UNMATCHED, (req, res) -> {
            throw new ApiException(ErrorCode.NOT_FOUND, "no such endpoint");
        }));
    }

    private void register(String template, Map<Method, Handler> handlers) {
        handlers.forEach((method, handler) -> routing.route(method, template, instrument(template, handler)));
        String allow = handlers.keySet().stream().map(Method::text).collect(Collectors.joining(", "));
        routing.any(template, instrument(template, (req, res) -> {
            throw new ApiException(ErrorCode.VALIDATION_ERROR, 405,
                    "method " + req.prologue().method().text() + " is not allowed here", Map.of("Allow", allow));
        }));
    }

    private Handler instrument(String template, Handler handler) {
        return (req, res) -> {
            long start = System.nanoTime();
            try {
                handler.handle(req, res);
            } catch (Throwable t) {
                handleError(req, res, t);
            } finally {
                double seconds = (System.nanoTime() - start) / 1e9;
                int status = res.status().code();
                metrics.httpRequest(methodLabel(req), template, status, seconds);
                Events.log(LOG, Level.FINE, "http_request", "method", methodLabel(req), "path", template,
                        "status", status, "duration_ms", Math.round(seconds * 1000));
            }
        };
    }

    private static void handleError(ServerRequest req, ServerResponse res, Throwable t) {
        if (t instanceof CloseConnectionException abort) {
            throw abort; // a body had begun: the handler chose to break the connection
        }
        if (res.isSent()) {
            // Headers are out (e.g. a download failed mid-stream): the only honest signal left is to break
            // the connection, which Helidon does when the handler throws.
            throw ErrorResponses.abort("failed after the response was sent", t);
        }
        try {
            sendError(req, res, t);
        } catch (RuntimeException e) {
            // the response cannot take an error body any more (its output stream was taken): a broken
            // connection is the only honest answer left
            e.addSuppressed(t);
            throw ErrorResponses.abort("cannot send an error answer", e);
        }
    }

    private static void sendError(ServerRequest req, ServerResponse res, Throwable t) {
        if (t instanceof ApiException api) {
            ErrorResponses.send(res, api.status(), api.code(), api.getMessage(), api.headers());
        } else if (t instanceof SeException se) {
            ErrorResponses.send(res, se.code(), se.getMessage(),
                    se.code() == ErrorCode.SERVER_BUSY ? Map.of("Retry-After", BUSY_RETRY_AFTER_SECONDS) : Map.of());
        } else {
            Events.log(LOG, Level.SEVERE, "unhandled_error", t, "method", req.prologue().method().text(),
                    "path", req.path().path());
            ErrorResponses.send(res, ErrorCode.INTERNAL_ERROR, "internal error", Map.of());
        }
    }

    private static String methodLabel(ServerRequest req) {
        String m = req.prologue().method().text();
        return KNOWN_METHODS.contains(m) ? m : "OTHER";
    }
}
