package io.artsore.e2e.jwksmock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A local token issuer for development and end-to-end tests (stands in for Keycloak):
 * <ul>
 *   <li>{@code GET /jwks} — the current public key (RFC 7517: kid, use=sig, alg=RS256);</li>
 *   <li>{@code POST /token} JSON {@code {sub, scopes, ttl_seconds, scope_string?}} → {@code {"token"}}
 *       (a negative ttl mints an already expired token);</li>
 *   <li>{@code POST /oauth/token} OAuth2 client_credentials (form body, client credentials in the form or
 *       HTTP Basic) → {@code {access_token, token_type, expires_in}}, sub = client id, Keycloak-style
 *       {@code scope} string;</li>
 *   <li>{@code POST /rotate} — a new key with a new kid; the old key disappears from the JWKS.</li>
 * </ul>
 * Tokens are RS256 with claims sub, scopes (or scope), iat, exp, iss. Not for production: it signs anything.
 */
public final class JwksMock implements AutoCloseable {
    private static final long DEFAULT_TTL_SECONDS = 3600;
    private static final int MAX_REQUEST_BYTES = 64 * 1024;

    private final MockConfig config;
    private final ObjectMapper json = new ObjectMapper();
    private final AtomicReference<RSAKey> key = new AtomicReference<>(newKey());
    private HttpServer server;

    public JwksMock(MockConfig config) {
        this.config = config;
    }

    public static void main(String[] args) throws Exception {
        JwksMock mock = new JwksMock(MockConfig.from(System.getenv(), args));
        mock.start();
        System.out.println("jwks-mock listening on " + mock.baseUri() + " (JWKS at " + mock.baseUri().resolve("/jwks") + ")");
        Runtime.getRuntime().addShutdownHook(new Thread(mock::close));
        new CountDownLatch(1).await();
    }

    public synchronized void start() throws IOException, GeneralSecurityException {
        InetSocketAddress address = new InetSocketAddress(config.bind(), config.port());
        if (config.tlsCert().isPresent()) {
            HttpsServer https = HttpsServer.create(address, 0);
            https.setHttpsConfigurator(new HttpsConfigurator(
                    PemTls.serverContext(config.tlsCert().get(), config.tlsKey().orElseThrow())));
            server = https;
        } else {
            server = HttpServer.create(address, 0);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/jwks", handler("GET", this::jwks));
        server.createContext("/token", handler("POST", this::token));
        server.createContext("/oauth/token", handler("POST", this::clientCredentials));
        server.createContext("/rotate", handler("POST", exchange -> Map.of("kid", rotate())));
        server.start();
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    /** The actual port (useful with MOCK_PORT=0). */
    public int port() {
        return server.getAddress().getPort();
    }

    public URI baseUri() {
        String scheme = config.tlsCert().isPresent() ? "https" : "http";
        return URI.create(scheme + "://" + hostForUri(config.bind()) + ":" + port() + "/");
    }

    /** The kid of the current signing key. */
    public String currentKid() {
        return key.get().getKeyID();
    }

    /** Replaces the signing key; returns the new kid. */
    public String rotate() {
        RSAKey fresh = newKey();
        key.set(fresh);
        return fresh.getKeyID();
    }

    /** Mints a token in-process, same as {@code POST /token}. */
    public String mint(String subject, List<String> scopes, long ttlSeconds, boolean scopeString) {
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .subject(subject)
                .issuer(config.issuer())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(ttlSeconds)));
        if (scopeString) {
            claims.claim("scope", String.join(" ", scopes));
        } else {
            claims.claim("scopes", scopes);
        }
        RSAKey signingKey = key.get();
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signingKey.getKeyID()).build(),
                    claims.build());
            jwt.sign(new RSASSASigner(signingKey));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("signing failed", e);
        }
    }

    private Object jwks(HttpExchange exchange) {
        return new JWKSet(key.get().toPublicJWK()).toJSONObject(true);
    }

    private Object token(HttpExchange exchange) throws IOException {
        JsonNode request = json.readTree(readBody(exchange));
        if (request == null || !request.isObject()) {
            throw new BadRequest("invalid_request", "body must be a JSON object");
        }
        List<String> scopes = new ArrayList<>();
        request.path("scopes").forEach(s -> scopes.add(s.asText()));
        String token = mint(request.path("sub").asText("test-user"), scopes,
                request.path("ttl_seconds").asLong(DEFAULT_TTL_SECONDS), request.path("scope_string").asBoolean(false));
        return Map.of("token", token);
    }

    private Object clientCredentials(HttpExchange exchange) throws IOException {
        Map<String, String> form = parseForm(readBody(exchange));
        if (!"client_credentials".equals(form.get("grant_type"))) {
            throw new BadRequest("unsupported_grant_type", "only client_credentials is supported");
        }
        String[] basic = basicCredentials(exchange.getRequestHeaders().getFirst("Authorization"));
        String clientId = basic != null ? basic[0] : form.get("client_id");
        String secret = basic != null ? basic[1] : form.get("client_secret");
        boolean known = config.clients().isEmpty()
                ? clientId != null && !clientId.isBlank()
                : secret != null && secret.equals(config.clients().get(clientId));
        if (!known) {
            throw new BadRequest("invalid_client", "unknown client or wrong secret", 401);
        }
        List<String> scopes = form.containsKey("scope")
                ? List.of(form.get("scope").strip().split("\\s+")).stream().filter(s -> !s.isEmpty()).toList()
                : List.of();
        Map<String, Object> response = new HashMap<>();
        response.put("access_token", mint(clientId, scopes, DEFAULT_TTL_SECONDS, true));
        response.put("token_type", "Bearer");
        response.put("expires_in", DEFAULT_TTL_SECONDS);
        response.put("scope", String.join(" ", scopes));
        return response;
    }

    private interface Endpoint {
        Object handle(HttpExchange exchange) throws IOException;
    }

    /** A client error in OAuth2 error format ({@code {"error", "error_description"}}). */
    private static final class BadRequest extends RuntimeException {
        private final String error;
        private final int status;

        BadRequest(String error, String description) {
            this(error, description, 400);
        }

        BadRequest(String error, String description, int status) {
            super(description, null, false, false);
            this.error = error;
            this.status = status;
        }
    }

    private HttpHandler handler(String method, Endpoint endpoint) {
        return exchange -> {
            try {
                if (!exchange.getRequestURI().getPath().equals(exchange.getHttpContext().getPath())) {
                    send(exchange, 404, Map.of("error", "not_found"));
                } else if (!exchange.getRequestMethod().equals(method)) {
                    exchange.getResponseHeaders().set("Allow", method);
                    send(exchange, 405, Map.of("error", "method_not_allowed"));
                } else {
                    send(exchange, 200, endpoint.handle(exchange));
                }
            } catch (BadRequest e) {
                send(exchange, e.status, Map.of("error", e.error, "error_description", e.getMessage()));
            } catch (IOException | RuntimeException e) {
                send(exchange, 400, Map.of("error", "invalid_request", "error_description", "malformed request"));
            } finally {
                exchange.close();
            }
        };
    }

    private void send(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static String readBody(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readNBytes(MAX_REQUEST_BYTES + 1);
        if (body.length > MAX_REQUEST_BYTES) {
            throw new BadRequest("invalid_request", "request body too large");
        }
        return new String(body, StandardCharsets.UTF_8);
    }

    private static Map<String, String> parseForm(String body) {
        Map<String, String> form = new HashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            form.putIfAbsent(name, value);
        }
        return form;
    }

    /** {id, secret} from {@code Authorization: Basic ...} (RFC 6749 §2.3.1), or null. */
    private static String[] basicCredentials(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            throw new BadRequest("invalid_client", "malformed Basic credentials", 401);
        }
        return new String[] {
                URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8)};
    }

    private static RSAKey newKey() {
        try {
            return new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.RS256).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("RSA key generation failed", e);
        }
    }

    private static String hostForUri(String bind) {
        String host = bind.equals("0.0.0.0") ? "127.0.0.1" : bind;
        return host.contains(":") ? "[" + host + "]" : host;
    }
}
