package io.artsore.se.api.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * State of the JWKS dependency, for readiness and the dependency-health metrics.
 *
 * @param lastSuccess     when the JWKS was last fetched and accepted
 * @param lastError       a short description of the last failed fetch, cleared by a success
 * @param lastErrorDetail a machine-readable class of that failure: {@code timeout}, {@code connection_refused},
 *                        {@code dns_error}, {@code tls_error}, {@code http_<status>}, {@code invalid_response},
 *                        {@code error}
 * @param keyCount        number of usable RS256 keys held (0 means every token is rejected)
 * @param lastFetchLatency duration of the last fetch attempt
 */
public record JwksHealth(Optional<Instant> lastSuccess, Optional<String> lastError, Optional<String> lastErrorDetail,
                         int keyCount, Duration lastFetchLatency) {

    /** Usable keys are loaded and the last fetch succeeded. */
    public boolean healthy() {
        return keyCount > 0 && lastError.isEmpty();
    }
}
