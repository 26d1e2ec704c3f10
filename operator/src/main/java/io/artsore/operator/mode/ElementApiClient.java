package io.artsore.operator.mode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();

    public ElementApiClient(HttpClient http) {
        this.http = http;
    }

    public ElementInfo info(URI base) throws ElementUnreachableException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/api/v1/info"))
                .timeout(TIMEOUT).header("Accept", "application/json").GET().build();
        HttpResponse<String> response = send(request);
        if (response.statusCode() != 200) {
            throw new ElementUnreachableException("GET /api/v1/info answered " + response.statusCode());
        }
        try {
            return json.readValue(response.body(), ElementInfo.class);
        } catch (IOException e) {
            throw new ElementUnreachableException("GET /api/v1/info answered an unreadable body", e);
        }
    }

    public TransitionResult transition(URI base, String targetMode, boolean confirm, String bearerToken)
            throws ElementUnreachableException {
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
        HttpResponse<String> response = send(request);
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

    private HttpResponse<String> send(HttpRequest request) throws ElementUnreachableException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ElementUnreachableException(request.method() + " " + request.uri().getPath() + " failed: "
                    + e.getClass().getSimpleName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ElementUnreachableException("interrupted", e);
        }
    }
}
