package io.artsore.se.api;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.io.InputStream;

/** Reads small JSON request bodies with a hard size cap; anything malformed is a 400. */
public final class JsonBodies {
    static final int MAX_BYTES = 64 * 1024;

    private JsonBodies() {
    }

    public static JsonNode read(ServerRequest req) throws IOException {
        if (!req.content().hasEntity()) {
            throw ApiException.validation("a JSON body is required");
        }
        byte[] bytes;
        try (InputStream in = req.content().inputStream()) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        }
        if (bytes.length > MAX_BYTES) {
            throw ApiException.validation("JSON body larger than " + MAX_BYTES + " bytes");
        }
        try {
            JsonNode node = Json.mapper().readTree(bytes);
            if (node == null || node.isMissingNode()) {
                throw ApiException.validation("a JSON body is required");
            }
            return node;
        } catch (JacksonException e) {
            throw ApiException.validation("body is not valid JSON");
        }
    }
}
