package io.artsore.se.testing;

import io.artsore.se.config.ConfigLoader;
import io.artsore.se.config.SeConfig;
import io.artsore.se.server.StorageElementServer;
import io.artsore.se.service.reconcile.Reconciler;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A real storage element on 127.0.0.1 (plain HTTP, dev opt-in) over temp dirs, with a {@link TestIssuer}
 * for tokens and helpers that validate every response against the OpenAPI document.
 */
public final class SeTestServer implements AutoCloseable {
    public static final String ALL_SCOPES_SUBJECT = "alice";

    private final TestIssuer issuer;
    private final StorageElementServer server;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, String> env;

    private SeTestServer(TestIssuer issuer, StorageElementServer server, Map<String, String> env) {
        this.issuer = issuer;
        this.server = server;
        this.env = env;
    }

    public static Map<String, String> env(Path root, TestIssuer issuer) {
        Map<String, String> env = new HashMap<>();
        env.put("SE_STORAGE_ID", "se-test");
        env.put("SE_DATA_DIR", root.resolve("data").toString());
        env.put("SE_WAL_DIR", root.resolve("wal").toString());
        env.put("SE_MAX_CAPACITY", String.valueOf(1L << 30));
        env.put("SE_MAX_FILE_SIZE", String.valueOf(1L << 20));
        env.put("SE_JWKS_URL", issuer.jwksUri().toString());
        env.put("SE_DEV_INSECURE_HTTP", "true");
        env.put("SE_BIND_ADDRESS", "127.0.0.1");
        env.put("SE_PORT", "0");
        env.put("SE_MODE", "edit");
        return env;
    }

    public static SeTestServer start(Path root, TestIssuer issuer, Map<String, String> overrides) throws Exception {
        return start(root, issuer, overrides, Clock.systemUTC());
    }

    public static SeTestServer start(Path root, TestIssuer issuer, Map<String, String> overrides, Clock clock)
            throws Exception {
        return start(root, issuer, overrides, clock, null);
    }

    /** With a stand-in for the reconcile endpoint (null = the element's own reconciler). */
    public static SeTestServer start(Path root, TestIssuer issuer, Map<String, String> overrides, Clock clock,
                                     Reconciler reconciler) throws Exception {
        Map<String, String> env = env(root, issuer);
        env.putAll(overrides);
        SeConfig config = ConfigLoader.load(env);
        return new SeTestServer(issuer, StorageElementServer.start(config, clock, reconciler), env);
    }

    public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.port() + pathAndQuery);
    }

    public StorageElementServer server() {
        return server;
    }

    public TestIssuer issuer() {
        return issuer;
    }

    public Map<String, String> env() {
        return env;
    }

    public String token(String... scopes) {
        return issuer.token(ALL_SCOPES_SUBJECT, scopes);
    }

    public HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(60));
    }

    public HttpRequest.Builder authorized(String pathAndQuery, String... scopes) {
        return request(pathAndQuery).header("Authorization", "Bearer " + token(scopes));
    }

    /** Sends, then checks the response against the OpenAPI document before returning it. */
    public HttpResponse<byte[]> send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        OpenApiContract.load().assertResponse(response);
        return response;
    }

    /** Sends without contract validation (for deliberately odd requests whose answer is checked by hand). */
    public HttpResponse<byte[]> sendRaw(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    public HttpClient http() {
        return http;
    }

    @Override
    public void close() {
        server.close();
    }
}
