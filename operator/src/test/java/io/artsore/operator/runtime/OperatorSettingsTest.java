package io.artsore.operator.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OperatorSettingsTest {
    @Test
    void defaultsWatchAllNamespacesWithLeaderElection() {
        OperatorSettings settings = OperatorSettings.fromEnv(Map.of());
        assertThat(settings.watchNamespaces()).isEmpty();
        assertThat(settings.caCertPath()).isNull();
        assertThat(settings.httpPort()).isEqualTo(8080);
        assertThat(settings.leaderElection()).isTrue();
        assertThat(settings.leaseName()).isEqualTo("artsore-se-operator");
        assertThat(settings.resync()).isEqualTo(java.time.Duration.ofSeconds(120));
    }

    @Test
    void resyncIsSettableInSecondsAndMustBePositive() {
        assertThat(OperatorSettings.fromEnv(Map.of("OPERATOR_RESYNC_SECONDS", "30")).resync())
                .isEqualTo(java.time.Duration.ofSeconds(30));
        assertThatThrownBy(() -> OperatorSettings.fromEnv(Map.of("OPERATOR_RESYNC_SECONDS", "0")))
                .hasMessageContaining("OPERATOR_RESYNC_SECONDS");
        assertThatThrownBy(() -> OperatorSettings.fromEnv(Map.of("OPERATOR_RESYNC_SECONDS", "2m")))
                .hasMessageContaining("OPERATOR_RESYNC_SECONDS");
    }

    @Test
    void readsNamespacesCaAndLeaseFromTheEnvironment() {
        OperatorSettings settings = OperatorSettings.fromEnv(Map.of("WATCH_NAMESPACES", " a, b ,,",
                "OPERATOR_CA_CERT_PATH", "/etc/ca.pem", "POD_NAMESPACE", "ops", "OPERATOR_LEADER_ELECTION", "false"));
        assertThat(settings.watchNamespaces()).isEqualTo(Set.of("a", "b"));
        assertThat(settings.caCertPath()).isEqualTo(Path.of("/etc/ca.pem"));
        assertThat(settings.leaseNamespace()).isEqualTo("ops");
        assertThat(settings.leaderElection()).isFalse();
    }

    @Test
    void rejectsABadPortNamingTheVariable() {
        assertThatThrownBy(() -> OperatorSettings.fromEnv(Map.of("OPERATOR_HTTP_PORT", "http")))
                .hasMessageContaining("OPERATOR_HTTP_PORT");
        assertThatThrownBy(() -> OperatorSettings.fromEnv(Map.of("OPERATOR_HTTP_PORT", "70000")))
                .hasMessageContaining("OPERATOR_HTTP_PORT");
    }

    @Test
    void aCaBundleWithoutCertificatesIsRefused() throws Exception {
        Path empty = java.nio.file.Files.createTempFile("ca", ".pem");
        assertThatThrownBy(() -> TrustBundle.sslContext(empty)).isInstanceOf(Exception.class);
        assertThat(TrustBundle.sslContext(null)).isNotNull();
    }
}
