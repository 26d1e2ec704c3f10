package io.artsore.operator.mode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.artsore.operator.crd.StorageElement;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** The two SE endpoints the operator calls: GET /api/v1/info and POST /api/v1/mode/transition. */
public class ElementApiClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final ElementConnections connections;
    private final ObjectMapper json = new ObjectMapper();

    public ElementApiClient(HttpClient http) {
        this(ElementConnections.fixed(http));
    }

    public ElementApiClient(ElementConnections connections) {
        this.connections = connections;
    }

    public ElementInfo info(StorageElement element, URI base) throws ElementUnreachableException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/api/v1/info"))
                .timeout(TIMEOUT).header("Accept", "application/json").GET().build();
        HttpResponse<String> response = send(element, request);
        if (response.statusCode() != 200) {
            throw new ElementUnreachableException("GET /api/v1/info answered " + response.statusCode());
        }
        try {
            return json.readValue(response.body(), ElementInfo.class);
        } catch (IOException e) {
            throw new ElementUnreachableException("GET /api/v1/info answered an unreadable body", e);
        }
    }

    public TransitionResult transition(StorageElement element, URI base, String targetMode, boolean confirm,
                                       String bearerToken) throws ElementUnreachableException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("target_mode", targetMode);
        body.put("confirm", confirm);
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(base.resolve("/api/v1/mode/transition"))
                    .timeout(TIMEOUT)
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json")
                    .header("Authorization", "Bearer " + bearerToken)
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
                    .build();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        HttpResponse<String> response = send(element, request);
        try {
            JsonNode answer = json.readTree(response.body());
            if (response.statusCode() == 200) {
                return new TransitionResult.Accepted(answer.path("previous_mode").asText(null),
                        answer.path("current_mode").asText(null));
            }
            JsonNode error = answer.path("error");
            if (error.isObject() && error.hasNonNull("code")) {
                return new TransitionResult.Refused(response.statusCode(), error.get("code").asText(),
                        error.path("message").asText(""));
            }
        } catch (IOException e) {
            // fall through: not the contract's JSON
        }
        throw new ElementUnreachableException("POST /api/v1/mode/transition answered " + response.statusCode()
                + " without the error envelope");
    }

    private HttpResponse<String> send(StorageElement element, HttpRequest request)
            throws ElementUnreachableException {
        try {
            return connections.forElement(element).send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ElementUnreachableException(request.method() + " " + request.uri().getPath() + " failed: "
                    + cause(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ElementUnreachableException("interrupted", e);
        }
    }

    /** The exception and its root cause, e.g. "SSLHandshakeException: PKIX path building failed: ...". */
    static String cause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = e.getClass().getSimpleName() + (e.getMessage() != null ? ": " + e.getMessage() : "");
        if (root != e && root.getMessage() != null && (e.getMessage() == null || !e.getMessage().contains(root.getMessage()))) {
            text += " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
        }
        return text;
    }
}
