package io.artsore.operator.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Process settings from the environment.
 *
 * @param watchNamespaces empty = all namespaces (WATCH_NAMESPACES, comma separated)
 * @param caCertPath      extra PEM CA bundle trusted for calls to elements (OPERATOR_CA_CERT_PATH), or null
 * @param httpPort        port of /healthz, /readyz and /metrics (OPERATOR_HTTP_PORT, default 8080; 0 = any)
 * @param leaseName       Lease used for leader election (OPERATOR_LEASE_NAME)
 * @param leaseNamespace  namespace of the Lease (OPERATOR_LEASE_NAMESPACE, else POD_NAMESPACE, else the client's)
 * @param leaderElection  OPERATOR_LEADER_ELECTION=false turns it off (single replica, local runs)
 * @param resync          longest time between two reconciles of an element even when no event arrives
 *                        (OPERATOR_RESYNC_SECONDS, default 120)
 */
public record OperatorSettings(Set<String> watchNamespaces, Path caCertPath, int httpPort, String leaseName,
                               String leaseNamespace, boolean leaderElection, Duration resync) {
    public static final Duration DEFAULT_RESYNC = Duration.ofSeconds(120);

    public static OperatorSettings fromEnv(Map<String, String> env) {
        Set<String> namespaces = Arrays.stream(env.getOrDefault("WATCH_NAMESPACES", "").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet());
        String ca = env.get("OPERATOR_CA_CERT_PATH");
        int port;
        try {
            port = Integer.parseInt(env.getOrDefault("OPERATOR_HTTP_PORT", "8080"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("OPERATOR_HTTP_PORT must be a number");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("OPERATOR_HTTP_PORT must be 0..65535");
        }
        String leaseNamespace = env.getOrDefault("OPERATOR_LEASE_NAMESPACE", env.get("POD_NAMESPACE"));
        return new OperatorSettings(namespaces, ca == null || ca.isBlank() ? null : Path.of(ca), port,
                env.getOrDefault("OPERATOR_LEASE_NAME", "artsore-se-operator"), leaseNamespace,
                !"false".equalsIgnoreCase(env.getOrDefault("OPERATOR_LEADER_ELECTION", "true")), resync(env));
    }

    private static Duration resync(Map<String, String> env) {
        String value = env.get("OPERATOR_RESYNC_SECONDS");
        if (value == null || value.isBlank()) {
            return DEFAULT_RESYNC;
        }
        try {
            long seconds = Long.parseLong(value.trim());
            if (seconds < 1) {
                throw new IllegalArgumentException("OPERATOR_RESYNC_SECONDS must be at least 1");
            }
            return Duration.ofSeconds(seconds);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("OPERATOR_RESYNC_SECONDS must be a number of seconds");
        }
    }
}
