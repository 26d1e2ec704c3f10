package io.artsore.se.config;

import io.artsore.se.config.SeConfig.LogFormat;
import io.artsore.se.config.SeConfig.LogLevel;
import io.artsore.se.config.SeConfig.ReplicaMode;
import io.artsore.se.domain.Mode;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads and validates the SE_* environment (docs/contract.md §12). Every problem is a {@link ConfigException} naming
 * the variable, so a bad deployment fails at startup instead of misbehaving later. Unknown SE_* names are ignored.
 */
public final class ConfigLoader {
    private static final Pattern STORAGE_ID = Pattern.compile("[A-Za-z0-9._-]{1,63}");
    private static final Pattern HOST_PORT = Pattern.compile("([A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+\\]):(\\d{1,5})");
    private static final long DEFAULT_MAX_FILE_SIZE = 1L << 30;
    private static final long DEFAULT_SCRUB_RATE = 10L * 1024 * 1024;

    private final Map<String, String> env;

    private ConfigLoader(Map<String, String> env) {
        this.env = env;
    }

    public static SeConfig load(Map<String, String> env) {
        return new ConfigLoader(env).build();
    }

    private SeConfig build() {
        boolean devInsecure = bool("SE_DEV_INSECURE_HTTP", false);
        Optional<Path> tlsCert = optional("SE_TLS_CERT").map(v -> readableFile("SE_TLS_CERT", v));
        Optional<Path> tlsKey = optional("SE_TLS_KEY").map(v -> readableFile("SE_TLS_KEY", v));
        if (tlsCert.isPresent() != tlsKey.isPresent()) {
            String missing = tlsCert.isPresent() ? "SE_TLS_KEY" : "SE_TLS_CERT";
            throw new ConfigException(missing, "SE_TLS_CERT and SE_TLS_KEY must be set together");
        }
        if (tlsCert.isEmpty() && !devInsecure) {
            throw new ConfigException("SE_TLS_CERT",
                    "required (plain HTTP needs the explicit development opt-in SE_DEV_INSECURE_HTTP=true)");
        }
        long maxFileSize = positiveLong("SE_MAX_FILE_SIZE", DEFAULT_MAX_FILE_SIZE);
        long maxCapacity = positiveLong("SE_MAX_CAPACITY", null);
        if (maxCapacity < maxFileSize) {
            throw new ConfigException("SE_MAX_CAPACITY",
                    "must be at least SE_MAX_FILE_SIZE (" + maxFileSize + " bytes)");
        }
        return new SeConfig(
                intInRange("SE_PORT", 8010, 0, 65535), // 0 = any free port (tests, dev)
                string("SE_BIND_ADDRESS", "0.0.0.0"),
                storageId(),
                directory("SE_DATA_DIR"),
                directory("SE_WAL_DIR"),
                choice("SE_MODE", "edit", v -> Mode.fromWire(v), "edit, rw, ro or ar"),
                maxFileSize,
                maxCapacity,
                interval("SE_GC_INTERVAL", "1h"),
                interval("SE_RECONCILE_INTERVAL", "6h"),
                jwksUrl(devInsecure),
                tlsCert,
                tlsKey,
                optional("SE_CA_CERT_PATH").map(v -> readableFile("SE_CA_CERT_PATH", v)),
                devInsecure,
                choice("SE_LOG_LEVEL", "info", v -> enumValue(LogLevel.class, v), "debug, info, warn or error"),
                choice("SE_LOG_FORMAT", "json", v -> enumValue(LogFormat.class, v), "json or text"),
                choice("SE_REPLICA_MODE", "standalone", v -> enumValue(ReplicaMode.class, v),
                        "standalone or replicated"),
                interval("SE_INDEX_REFRESH_INTERVAL", "30s"),
                interval("SE_DEPHEALTH_CHECK_INTERVAL", "15s"),
                optional("SE_JWT_ISSUER"),
                optional("SE_JWT_AUDIENCE"),
                duration("SE_JWT_LEEWAY", "30s"),
                interval("SE_JWKS_REFRESH_INTERVAL", "5m"),
                interval("SE_JWKS_MIN_REFETCH_INTERVAL", "10s"),
                interval("SE_SHUTDOWN_TIMEOUT", "30s"),
                interval("SE_IDLE_TIMEOUT", "5m"),
                interval("SE_REQUEST_HEAD_TIMEOUT", "30s"),
                intInRange("SE_MAX_CONNECTIONS", 10_000, 1, 1_000_000),
                duration("SE_GC_GRACE_DELETED", "24h"),
                duration("SE_GC_GRACE_EXPIRED", "24h"),
                nonNegativeLong("SE_SCRUB_BYTES_PER_SEC", DEFAULT_SCRUB_RATE),
                interval("SE_ELECTION_RETRY_INTERVAL", "2s"),
                interval("SE_LEADER_HEARTBEAT_INTERVAL", "1s"),
                optional("SE_ADVERTISED_ADDRESS").map(this::hostPort),
                interval("SE_PROXY_CONNECT_TIMEOUT", "5s"),
                interval("SE_PROXY_IDLE_TIMEOUT", "60s"),
                duration("SE_LIST_TOMBSTONE_TTL", "1h"),
                interval("SE_TLS_RELOAD_INTERVAL", "30s"),
                optional("SE_PEER_ADDRESSES").map(this::peerAddresses).orElse(List.of()),
                interval("SE_INDEX_CHECKPOINT_INTERVAL", "10m"));
    }

    /** The value, trimmed; empty (unset) when missing or blank, so "VAR=" in a manifest means "not set". */
    private Optional<String> optional(String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    private String required(String name) {
        return optional(name).orElseThrow(() -> new ConfigException(name, "required but not set"));
    }

    private String string(String name, String fallback) {
        return optional(name).orElse(fallback);
    }

    private String storageId() {
        String v = required("SE_STORAGE_ID");
        if (!STORAGE_ID.matcher(v).matches()) {
            throw new ConfigException("SE_STORAGE_ID", "must be 1..63 characters of A-Z a-z 0-9 . _ -");
        }
        return v;
    }

    private Path directory(String name) {
        return path(name, required(name));
    }

    private Path path(String name, String value) {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new ConfigException(name, "not a valid path");
        }
    }

    private Path readableFile(String name, String value) {
        Path p = path(name, value);
        if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
            throw new ConfigException(name, "file does not exist or is not readable: " + value);
        }
        return p;
    }

    private boolean bool(String name, boolean fallback) {
        return optional(name).map(v -> switch (v.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigException(name, "must be true or false, got '" + v + "'");
        }).orElse(fallback);
    }

    private int intInRange(String name, int fallback, int min, int max) {
        long v = longValue(name, (long) fallback);
        if (v < min || v > max) {
            throw new ConfigException(name, "must be between " + min + " and " + max + ", got " + v);
        }
        return (int) v;
    }

    private long positiveLong(String name, Long fallback) {
        long v = longValue(name, fallback);
        if (v <= 0) {
            throw new ConfigException(name, "must be a positive number of bytes, got " + v);
        }
        return v;
    }

    private long nonNegativeLong(String name, long fallback) {
        long v = longValue(name, fallback);
        if (v < 0) {
            throw new ConfigException(name, "must not be negative, got " + v);
        }
        return v;
    }

    /** A decimal integer; {@code fallback == null} makes the variable required. */
    private long longValue(String name, Long fallback) {
        Optional<String> raw = optional(name);
        if (raw.isEmpty()) {
            if (fallback == null) {
                throw new ConfigException(name, "required but not set");
            }
            return fallback;
        }
        try {
            return Long.parseLong(raw.get());
        } catch (NumberFormatException e) {
            throw new ConfigException(name, "must be an integer, got '" + raw.get() + "'");
        }
    }

    /** A duration that may be zero (grace periods, leeway). */
    private Duration duration(String name, String fallback) {
        String v = string(name, fallback);
        return Durations.parse(v).orElseThrow(() -> new ConfigException(name,
                "must be a duration like 500ms, 30s, 15m, 1h or 24h, got '" + v + "'"));
    }

    /** A period or timeout: must be greater than zero. */
    private Duration interval(String name, String fallback) {
        Duration d = duration(name, fallback);
        if (d.isZero()) {
            throw new ConfigException(name, "must be greater than 0");
        }
        return d;
    }

    /** Keys fetched over plain HTTP let anyone on the path mint tokens: only with the development opt-in. */
    private URI jwksUrl(boolean devInsecure) {
        String v = required("SE_JWKS_URL");
        try {
            URI uri = new URI(v);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                throw new ConfigException("SE_JWKS_URL", "must be an absolute http or https URL, got '" + v + "'");
            }
            if (scheme.equals("http") && !devInsecure) {
                throw new ConfigException("SE_JWKS_URL", "must be an https URL (plain http needs the explicit "
                        + "development opt-in SE_DEV_INSECURE_HTTP=true), got '" + v + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ConfigException("SE_JWKS_URL", "not a valid URL: '" + v + "'");
        }
    }

    private String hostPort(String v) {
        return hostPort("SE_ADVERTISED_ADDRESS", v);
    }

    private String hostPort(String name, String v) {
        var m = HOST_PORT.matcher(v);
        if (!m.matches() || Integer.parseInt(m.group(2)) < 1 || Integer.parseInt(m.group(2)) > 65535) {
            throw new ConfigException(name, "must be host:port, got '" + v + "'");
        }
        return v;
    }

    private List<String> peerAddresses(String v) {
        return Arrays.stream(v.split(",")).map(String::trim).filter(a -> !a.isEmpty())
                .map(a -> hostPort("SE_PEER_ADDRESSES", a)).toList();
    }

    private <T> T choice(String name, String fallback, java.util.function.Function<String, Optional<T>> parser,
                         String allowed) {
        String v = string(name, fallback);
        return parser.apply(v).orElseThrow(() -> new ConfigException(name,
                "must be one of " + allowed + ", got '" + v + "'"));
    }

    private static <E extends Enum<E>> Optional<E> enumValue(Class<E> type, String wire) {
        for (E e : type.getEnumConstants()) {
            if (e.name().toLowerCase(Locale.ROOT).equals(wire)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }
}
