package io.artsore.se.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.artsore.se.config.SeConfig.LogFormat;
import io.artsore.se.config.SeConfig.LogLevel;
import io.artsore.se.config.SeConfig.ReplicaMode;
import io.artsore.se.domain.Mode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {
    @TempDir
    Path tmp;

    /** The smallest valid environment: required variables only, plain HTTP opt-in instead of TLS files. */
    static Map<String, String> minimal() {
        Map<String, String> env = new HashMap<>();
        env.put("SE_STORAGE_ID", "se-moscow-01");
        env.put("SE_DATA_DIR", "/srv/data");
        env.put("SE_WAL_DIR", "/srv/wal");
        env.put("SE_MAX_CAPACITY", "10737418240");
        env.put("SE_JWKS_URL", "https://keycloak.local/realms/artsore/protocol/openid-connect/certs");
        env.put("SE_DEV_INSECURE_HTTP", "true");
        return env;
    }

    @Test
    void defaultsApplyWhenOnlyRequiredVariablesAreSet() {
        SeConfig c = ConfigLoader.load(minimal());
        assertThat(c.port()).isEqualTo(8010);
        assertThat(c.bindAddress()).isEqualTo("0.0.0.0");
        assertThat(c.storageId()).isEqualTo("se-moscow-01");
        assertThat(c.dataDir()).isEqualTo(Path.of("/srv/data"));
        assertThat(c.walDir()).isEqualTo(Path.of("/srv/wal"));
        assertThat(c.initialMode()).isEqualTo(Mode.EDIT);
        assertThat(c.maxFileSize()).isEqualTo(1073741824L);
        assertThat(c.maxCapacity()).isEqualTo(10737418240L);
        assertThat(c.gcInterval()).isEqualTo(Duration.ofHours(1));
        assertThat(c.reconcileInterval()).isEqualTo(Duration.ofHours(6));
        assertThat(c.jwksUrl().getHost()).isEqualTo("keycloak.local");
        assertThat(c.tlsEnabled()).isFalse();
        assertThat(c.caCertPath()).isEmpty();
        assertThat(c.logLevel()).isEqualTo(LogLevel.INFO);
        assertThat(c.logFormat()).isEqualTo(LogFormat.JSON);
        assertThat(c.replicaMode()).isEqualTo(ReplicaMode.STANDALONE);
        assertThat(c.indexRefreshInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.dephealthCheckInterval()).isEqualTo(Duration.ofSeconds(15));
        assertThat(c.jwtIssuer()).isEmpty();
        assertThat(c.jwtAudience()).isEmpty();
        assertThat(c.jwtLeeway()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.jwksRefreshInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.jwksMinRefetchInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.idleTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.requestHeadTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.maxConnections()).isEqualTo(10_000);
        assertThat(c.gcGraceDeleted()).isEqualTo(Duration.ofHours(24));
        assertThat(c.gcGraceExpired()).as("a forward clock step must not purge temporary files at once")
                .isEqualTo(Duration.ofHours(24));
        assertThat(c.scrubBytesPerSec()).isEqualTo(10485760L);
        assertThat(c.scrubEnabled()).isTrue();
        assertThat(c.electionRetryInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.leaderHeartbeatInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.advertisedAddress()).isEmpty();
        assertThat(c.proxyConnectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.proxyIdleTimeout()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void explicitValuesAreRead() throws IOException {
        Path cert = Files.writeString(tmp.resolve("tls.crt"), "cert");
        Path key = Files.writeString(tmp.resolve("tls.key"), "key");
        Path ca = Files.writeString(tmp.resolve("ca.pem"), "ca");
        Map<String, String> env = minimal();
        env.remove("SE_DEV_INSECURE_HTTP");
        env.putAll(Map.of("SE_TLS_CERT", cert.toString(), "SE_TLS_KEY", key.toString(),
                "SE_CA_CERT_PATH", ca.toString(), "SE_PORT", "9443", "SE_MODE", "rw",
                "SE_LOG_LEVEL", "debug", "SE_LOG_FORMAT", "text", "SE_REPLICA_MODE", "replicated",
                "SE_GC_INTERVAL", "500ms", "SE_ADVERTISED_ADDRESS", "se-0.se.svc:8010"));
        env.putAll(Map.of("SE_JWT_LEEWAY", "0s", "SE_SCRUB_BYTES_PER_SEC", "0", "SE_GC_GRACE_DELETED", "2d",
                "SE_JWT_ISSUER", "https://kc/realms/a", "SE_JWT_AUDIENCE", "artsore-se",
                "SE_MAX_FILE_SIZE", "1000", "SE_MAX_CAPACITY", "1000"));
        env.putAll(Map.of("SE_REQUEST_HEAD_TIMEOUT", "7s", "SE_MAX_CONNECTIONS", "250"));
        SeConfig c = ConfigLoader.load(env);
        assertThat(c.requestHeadTimeout()).isEqualTo(Duration.ofSeconds(7));
        assertThat(c.maxConnections()).isEqualTo(250);
        assertThat(c.tlsEnabled()).isTrue();
        assertThat(c.tlsCert()).contains(cert);
        assertThat(c.tlsKey()).contains(key);
        assertThat(c.caCertPath()).contains(ca);
        assertThat(c.port()).isEqualTo(9443);
        assertThat(c.initialMode()).isEqualTo(Mode.RW);
        assertThat(c.logLevel()).isEqualTo(LogLevel.DEBUG);
        assertThat(c.logFormat()).isEqualTo(LogFormat.TEXT);
        assertThat(c.replicaMode()).isEqualTo(ReplicaMode.REPLICATED);
        assertThat(c.gcInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.advertisedAddress()).contains("se-0.se.svc:8010");
        assertThat(c.jwtLeeway()).isZero();
        assertThat(c.scrubEnabled()).isFalse();
        assertThat(c.gcGraceDeleted()).isEqualTo(Duration.ofDays(2));
        assertThat(c.jwtIssuer()).contains("https://kc/realms/a");
        assertThat(c.jwtAudience()).contains("artsore-se");
        assertThat(c.maxCapacity()).isEqualTo(c.maxFileSize());
    }

    @ParameterizedTest(name = "{0}={1} -> {2}")
    @CsvSource(delimiter = '|', nullValues = "<unset>", value = {
            "SE_STORAGE_ID|<unset>|required",
            "SE_STORAGE_ID|se/01|A-Z",
            "SE_STORAGE_ID|abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij1234|A-Z",
            "SE_DATA_DIR|<unset>|required",
            "SE_DATA_DIR|'  '|required",
            "SE_WAL_DIR|<unset>|required",
            "SE_WAL_DIR|bad\u0000path|valid path",
            "SE_PORT|-1|between 0 and 65535",
            "SE_PORT|65536|between 0 and 65535",
            "SE_PORT|80a|integer",
            "SE_MODE|EDIT|edit, rw, ro or ar",
            "SE_MODE|archive|edit, rw, ro or ar",
            "SE_MAX_FILE_SIZE|0|positive",
            "SE_MAX_FILE_SIZE|-5|positive",
            "SE_MAX_FILE_SIZE|1GB|integer",
            "SE_MAX_CAPACITY|<unset>|required",
            "SE_MAX_CAPACITY|1000|at least SE_MAX_FILE_SIZE",
            "SE_GC_INTERVAL|0s|greater than 0",
            "SE_GC_INTERVAL|1 h|duration",
            "SE_GC_INTERVAL|1.5h|duration",
            "SE_GC_INTERVAL|-1h|duration",
            "SE_GC_INTERVAL|60|duration",
            "SE_RECONCILE_INTERVAL|0m|greater than 0",
            "SE_RECONCILE_INTERVAL|6w|duration",
            "SE_JWKS_URL|<unset>|required",
            "SE_JWKS_URL|ftp://keys.local/jwks|http or https",
            "SE_JWKS_URL|/relative/jwks|http or https",
            "SE_JWKS_URL|http://bad host/|not a valid URL",
            "SE_LOG_LEVEL|trace|debug, info, warn or error",
            "SE_LOG_FORMAT|xml|json or text",
            "SE_REPLICA_MODE|cluster|standalone or replicated",
            "SE_INDEX_REFRESH_INTERVAL|0ms|greater than 0",
            "SE_DEPHEALTH_CHECK_INTERVAL|x|duration",
            "SE_DEV_INSECURE_HTTP|yes|true or false",
            "SE_JWT_LEEWAY|-1s|duration",
            "SE_JWKS_REFRESH_INTERVAL|0s|greater than 0",
            "SE_JWKS_MIN_REFETCH_INTERVAL|0s|greater than 0",
            "SE_SHUTDOWN_TIMEOUT|0s|greater than 0",
            "SE_IDLE_TIMEOUT|0s|greater than 0",
            "SE_REQUEST_HEAD_TIMEOUT|0s|greater than 0",
            "SE_MAX_CONNECTIONS|0|between 1 and 1000000",
            "SE_MAX_CONNECTIONS|many|integer",
            "SE_GC_GRACE_DELETED|1y|duration",
            "SE_GC_GRACE_EXPIRED|abc|duration",
            "SE_SCRUB_BYTES_PER_SEC|-1|not be negative",
            "SE_ELECTION_RETRY_INTERVAL|0s|greater than 0",
            "SE_LEADER_HEARTBEAT_INTERVAL|0ms|greater than 0",
            "SE_ADVERTISED_ADDRESS|se-0|host:port",
            "SE_ADVERTISED_ADDRESS|se-0:99999|host:port",
            "SE_PEER_ADDRESSES|se-a:8010,se-b|host:port",
            "SE_PROXY_CONNECT_TIMEOUT|0s|greater than 0",
            "SE_PROXY_IDLE_TIMEOUT|5x|duration",
            "SE_CA_CERT_PATH|/nonexistent/ca.pem|not readable",
    })
    void invalidValueIsAStartupErrorNamingTheVariable(String name, String value, String reason) {
        Map<String, String> env = minimal();
        if (value == null) {
            env.remove(name);
        } else {
            env.put(name, value.equals("'  '") ? "  " : value);
        }
        assertThatThrownBy(() -> ConfigLoader.load(env))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(name + ": ")
                .hasMessageContaining(reason)
                .satisfies(e -> assertThat(((ConfigException) e).variable()).isEqualTo(name));
    }

    @Test
    void tlsIsRequiredWithoutTheDevelopmentOptIn() {
        Map<String, String> env = minimal();
        env.remove("SE_DEV_INSECURE_HTTP");
        assertThatThrownBy(() -> ConfigLoader.load(env)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("SE_TLS_CERT: ").hasMessageContaining("SE_DEV_INSECURE_HTTP");
        env.put("SE_DEV_INSECURE_HTTP", "false");
        assertThatThrownBy(() -> ConfigLoader.load(env)).hasMessageStartingWith("SE_TLS_CERT: ");
    }

    @Test
    void plainHttpJwksNeedsTheDevelopmentOptIn() throws IOException {
        Map<String, String> env = minimal();
        env.put("SE_JWKS_URL", "http://keycloak.local/certs");
        assertThat(ConfigLoader.load(env).jwksUrl().getScheme()).isEqualTo("http");

        env.remove("SE_DEV_INSECURE_HTTP");
        env.put("SE_TLS_CERT", Files.writeString(tmp.resolve("tls.crt"), "cert").toString());
        env.put("SE_TLS_KEY", Files.writeString(tmp.resolve("tls.key"), "key").toString());
        assertThatThrownBy(() -> ConfigLoader.load(env)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("SE_JWKS_URL: ").hasMessageContaining("https")
                .hasMessageContaining("SE_DEV_INSECURE_HTTP");
        env.put("SE_JWKS_URL", "HTTPS://keycloak.local/certs");
        assertThat(ConfigLoader.load(env).jwksUrl().getHost()).isEqualTo("keycloak.local");
    }

    @Test
    void tlsCertificateAndKeyComeTogether() throws IOException {
        Path cert = Files.writeString(tmp.resolve("tls.crt"), "cert");
        Map<String, String> env = minimal();
        env.put("SE_TLS_CERT", cert.toString());
        assertThatThrownBy(() -> ConfigLoader.load(env)).hasMessageStartingWith("SE_TLS_KEY: ")
                .hasMessageContaining("together");
        env.remove("SE_TLS_CERT");
        env.put("SE_TLS_KEY", cert.toString());
        assertThatThrownBy(() -> ConfigLoader.load(env)).hasMessageStartingWith("SE_TLS_CERT: ")
                .hasMessageContaining("together");
    }

    @Test
    void tlsFilesMustBeReadable() {
        Map<String, String> env = minimal();
        env.put("SE_TLS_CERT", tmp.resolve("missing.crt").toString());
        env.put("SE_TLS_KEY", tmp.resolve("missing.key").toString());
        assertThatThrownBy(() -> ConfigLoader.load(env)).hasMessageStartingWith("SE_TLS_CERT: ");
    }

    @Test
    void unknownSeVariablesAreIgnored() {
        Map<String, String> env = minimal();
        env.put("SE_SOMETHING_NEW", "whatever");
        assertThat(ConfigLoader.load(env).storageId()).isEqualTo("se-moscow-01");
    }

    @Test
    void blankOptionalValueMeansUnset() {
        Map<String, String> env = minimal();
        env.put("SE_PORT", "");
        env.put("SE_JWT_ISSUER", " ");
        SeConfig c = ConfigLoader.load(env);
        assertThat(c.port()).isEqualTo(8010);
        assertThat(c.jwtIssuer()).isEmpty();
    }
}
