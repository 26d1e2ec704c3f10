package io.artsore.operator.mode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ClientCredentialsTokensTest {
    private HttpServer tokenEndpoint;
    private final List<Map<String, String>> requests = new CopyOnWriteArrayList<>();
    private volatile int status = 200;
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @BeforeEach
    void start() throws IOException {
        tokenEndpoint = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
        tokenEndpoint.createContext("/token", exchange -> {
            String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(Arrays.stream(form.split("&")).map(p -> p.split("=", 2))
                    .collect(Collectors.toMap(p -> p[0], p -> URLDecoder.decode(p[1], StandardCharsets.UTF_8))));
            byte[] body = ("{\"access_token\":\"t" + requests.size() + "\",\"expires_in\":300,\"token_type\":\"Bearer\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        tokenEndpoint.start();
    }

    @AfterEach
    void stop() {
        tokenEndpoint.stop(0);
    }

    @Test
    void postsTheClientCredentialsFormAndCachesTheTokenUntilShortlyBeforeExpiry() throws Exception {
        ClientCredentialsTokens tokens = new ClientCredentialsTokens(HttpClient.newHttpClient(), clock());

        assertThat(tokens.token(url(), "se-operator", "s3cret & more", "storage:write")).isEqualTo("t1");
        now = now.plus(Duration.ofSeconds(200));
        assertThat(tokens.token(url(), "se-operator", "s3cret & more", "storage:write")).isEqualTo("t1");
        assertThat(requests).singleElement().isEqualTo(Map.of("grant_type", "client_credentials",
                "client_id", "se-operator", "client_secret", "s3cret & more", "scope", "storage:write"));

        now = now.plus(Duration.ofSeconds(71)); // 271 s: inside the 30 s renewal margin of a 300 s token
        assertThat(tokens.token(url(), "se-operator", "s3cret & more", "storage:write")).isEqualTo("t2");
        assertThat(requests).hasSize(2);
    }

    @Test
    void aRefusingTokenEndpointIsAnError() {
        status = 401;
        ClientCredentialsTokens tokens = new ClientCredentialsTokens(HttpClient.newHttpClient(), clock());
        assertThatThrownBy(() -> tokens.token(url(), "c", "s", "storage:write"))
                .isInstanceOf(TokenUnavailableException.class).hasMessageContaining("401");
    }

    private String url() {
        return "http://127.0.0.1:" + tokenEndpoint.getAddress().getPort() + "/token";
    }

    private Clock clock() {
        return new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now;
            }
        };
    }
}
