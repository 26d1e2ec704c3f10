package io.artsore.e2e.jwksmock;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Settings of the jwks-mock, from environment variables, overridable by {@code KEY=VALUE} arguments.
 *
 * @param bind    MOCK_BIND, listen address (default 127.0.0.1)
 * @param port    MOCK_PORT (default 8080; 0 picks a free port)
 * @param issuer  MOCK_ISSUER, the {@code iss} claim (default {@code jwks-mock})
 * @param tlsCert MOCK_TLS_CERT, PEM certificate chain; HTTPS when set together with the key
 * @param tlsKey  MOCK_TLS_KEY, PEM PKCS#8 private key (RSA or EC)
 * @param clients MOCK_CLIENTS, {@code id:secret,id2:secret2} accepted by {@code /oauth/token}; empty = any
 */
public record MockConfig(String bind, int port, String issuer, Optional<Path> tlsCert, Optional<Path> tlsKey,
                         Map<String, String> clients) {

    public MockConfig {
        if (tlsCert.isPresent() != tlsKey.isPresent()) {
            throw new IllegalArgumentException("MOCK_TLS_CERT and MOCK_TLS_KEY must be set together");
        }
        clients = Map.copyOf(clients);
    }

    /** Plain HTTP on 127.0.0.1 and a free port, any client accepted. */
    public static MockConfig forTests() {
        return new MockConfig("127.0.0.1", 0, "jwks-mock", Optional.empty(), Optional.empty(), Map.of());
    }

    public static MockConfig from(Map<String, String> env, String[] args) {
        Map<String, String> values = new HashMap<>(env);
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("arguments are KEY=VALUE, got: " + arg);
            }
            values.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        int port;
        try {
            port = Integer.parseInt(values.getOrDefault("MOCK_PORT", "8080"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("MOCK_PORT must be a number");
        }
        return new MockConfig(
                values.getOrDefault("MOCK_BIND", "127.0.0.1"),
                port,
                values.getOrDefault("MOCK_ISSUER", "jwks-mock"),
                optionalPath(values.get("MOCK_TLS_CERT")),
                optionalPath(values.get("MOCK_TLS_KEY")),
                parseClients(values.getOrDefault("MOCK_CLIENTS", "")));
    }

    private static Optional<Path> optionalPath(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(Path.of(value));
    }

    private static Map<String, String> parseClients(String spec) {
        Map<String, String> clients = new LinkedHashMap<>();
        for (String entry : spec.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int colon = entry.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("MOCK_CLIENTS entries are id:secret");
            }
            clients.put(entry.substring(0, colon).strip(), entry.substring(colon + 1).strip());
        }
        return clients;
    }
}
