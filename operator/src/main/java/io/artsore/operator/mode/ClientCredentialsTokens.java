package io.artsore.operator.mode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * OAuth2 client-credentials grant (RFC 6749 §4.4). Tokens are cached per (token URL, client, scope) until
 * shortly before they expire, so reconciles do not hit the token endpoint each time.
 */
public class ClientCredentialsTokens {
    /** Renew this long before expiry so a token never expires in flight. */
    static final Duration EXPIRY_MARGIN = Duration.ofSeconds(30);
    private static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(5);

    private final HttpClient http;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, CachedToken> cache = new ConcurrentHashMap<>();

    public ClientCredentialsTokens(HttpClient http, Clock clock) {
        this.http = http;
        this.clock = clock;
    }

    public String token(String tokenUrl, String clientId, String clientSecret, String scope)
            throws TokenUnavailableException {
        String key = tokenUrl + "\n" + clientId + "\n" + scope;
        CachedToken cached = cache.get(key);
        Instant now = clock.instant();
        if (cached != null && now.isBefore(cached.renewAt())) {
            return cached.token();
        }
        CachedToken fresh = fetch(tokenUrl, clientId, clientSecret, scope, now);
        cache.put(key, fresh);
        return fresh.token();
    }

    private CachedToken fetch(String tokenUrl, String clientId, String clientSecret, String scope, Instant now)
            throws TokenUnavailableException {
        String form = Map.of("grant_type", "client_credentials", "client_id", clientId,
                        "client_secret", clientSecret, "scope", scope)
                .entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(URI.create(tokenUrl))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new TokenUnavailableException("token endpoint answered " + response.statusCode());
            }
            JsonNode body = json.readTree(response.body());
            String token = body.path("access_token").asText(null);
            if (token == null || token.isBlank()) {
                throw new TokenUnavailableException("token endpoint answered without access_token");
            }
            Duration lifetime = body.hasNonNull("expires_in")
                    ? Duration.ofSeconds(body.get("expires_in").asLong()) : DEFAULT_LIFETIME;
            Duration usable = lifetime.compareTo(EXPIRY_MARGIN.multipliedBy(2)) > 0
                    ? lifetime.minus(EXPIRY_MARGIN) : lifetime.dividedBy(2);
            return new CachedToken(token, now.plus(usable));
        } catch (IOException e) {
            throw new TokenUnavailableException("token endpoint unreachable: " + e.getClass().getSimpleName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TokenUnavailableException("interrupted", e);
        }
    }

    private record CachedToken(String token, Instant renewAt) {
    }
}
