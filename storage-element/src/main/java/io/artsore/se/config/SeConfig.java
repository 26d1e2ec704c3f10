package io.artsore.se.config;

import io.artsore.se.domain.Mode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Validated configuration of one storage element (docs/contract.md §12 plus additive variables). Built by
 * {@link ConfigLoader}; every value here has already been checked. Optional settings are {@link Optional}.
 */
public record SeConfig(
        int port,
        String bindAddress,
        String storageId,
        Path dataDir,
        Path walDir,
        Mode initialMode,
        long maxFileSize,
        long maxCapacity,
        Duration gcInterval,
        Duration reconcileInterval,
        URI jwksUrl,
        Optional<Path> tlsCert,
        Optional<Path> tlsKey,
        Optional<Path> caCertPath,
        boolean devInsecureHttp,
        LogLevel logLevel,
        LogFormat logFormat,
        ReplicaMode replicaMode,
        Duration indexRefreshInterval,
        Duration dephealthCheckInterval,
        Optional<String> jwtIssuer,
        Optional<String> jwtAudience,
        Duration jwtLeeway,
        Duration jwksRefreshInterval,
        Duration jwksMinRefetchInterval,
        Duration shutdownTimeout,
        Duration idleTimeout,
        Duration requestHeadTimeout,
        int maxConnections,
        Duration gcGraceDeleted,
        Duration gcGraceExpired,
        long scrubBytesPerSec,
        Duration electionRetryInterval,
        Duration leaderHeartbeatInterval,
        Optional<String> advertisedAddress,
        Duration proxyConnectTimeout,
        Duration proxyIdleTimeout,
        Duration listTombstoneTtl,
        Duration tlsReloadInterval,
        List<String> peerAddresses,
        Duration indexCheckpointInterval) {

    public enum LogLevel { DEBUG, INFO, WARN, ERROR }

    public enum LogFormat { JSON, TEXT }

    public enum ReplicaMode { STANDALONE, REPLICATED }

    /** TLS is on unless plain HTTP was explicitly allowed for development and no certificate is given. */
    public boolean tlsEnabled() {
        return tlsCert.isPresent();
    }

    /** Scrubbing (background re-hashing) is disabled by a rate of 0. */
    public boolean scrubEnabled() {
        return scrubBytesPerSec > 0;
    }
}
