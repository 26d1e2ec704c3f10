package io.artsore.e2e.loadgen;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Obtains a test token from the jwks-mock: {@code POST /token {sub, scopes, ttl_seconds}} → {@code {token}}. */
final class TokenFetcher {

    private TokenFetcher() {
    }

    static String fetch(HttpClient client, String mockUrl, String sub, long ttlSeconds) throws IOException, InterruptedException {
        String base = mockUrl.endsWith("/") ? mockUrl.substring(0, mockUrl.length() - 1) : mockUrl;
        String body = "{\"sub\":" + JsonFields.quote(sub) + ",\"scopes\":[\"files:read\",\"files:write\"],\"ttl_seconds\":" + ttlSeconds + "}";
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/token"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        String token = response.statusCode() == 200 ? JsonFields.string(response.body(), "token") : null;
        if (token == null || token.isEmpty()) {
            throw new IOException("jwks-mock " + base + "/token answered " + response.statusCode() + " without a token");
        }
        return token;
    }
}
