package io.artsore.se.api;

import io.helidon.webserver.http.ServerRequest;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/** Strict parsing of path and query parameters; every problem is a 400 VALIDATION_ERROR. */
public final class RequestParams {
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private RequestParams() {
    }

    /** The {@code file_id} path parameter; {@link UUID#fromString} alone would accept forms like "1-1-1-1-1". */
    public static UUID fileId(ServerRequest req) {
        return parseUuid(req.path().pathParameters().get("file_id"));
    }

    static UUID parseUuid(String text) {
        if (text == null || !UUID_TEXT.matcher(text).matches()) {
            throw ApiException.validation("file_id must be a UUID");
        }
        return UUID.fromString(text.toLowerCase(Locale.ROOT));
    }

    /** An optional integer query parameter within [min, max]; absent → default. */
    public static long longParam(ServerRequest req, String name, long defaultValue, long min, long max) {
        List<String> values = req.query().all(name, List::of);
        if (values.isEmpty()) {
            return defaultValue;
        }
        if (values.size() > 1) {
            throw ApiException.validation(name + " must be given at most once");
        }
        String text = values.get(0);
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw ApiException.validation(name + " must be an integer");
        }
        if (value < min || value > max) {
            throw ApiException.validation(name + " must be between " + min + " and " + max);
        }
        return value;
    }

    /** An optional single-valued query parameter. */
    public static String optional(ServerRequest req, String name) {
        List<String> values = req.query().all(name, List::of);
        if (values.size() > 1) {
            throw ApiException.validation(name + " must be given at most once");
        }
        return values.isEmpty() ? null : values.get(0);
    }
}
