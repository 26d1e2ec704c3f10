package io.artsore.se.api.auth;

import io.artsore.se.logging.Events;
import io.artsore.se.logging.ScheduledTasks;
import io.helidon.security.jwt.jwk.Jwk;
import io.helidon.security.jwt.jwk.JwkRSA;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonValue;
import java.io.ByteArrayInputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLException;

/**
 * RS256 verification keys from a JWKS URL, with
 * <ul>
 *   <li>a periodic refresh ({@code refreshInterval});</li>
 *   <li>a refetch when a token names an unknown {@code kid}, at most once per {@code minRefetchInterval}
 *       (so random kids cannot hammer the issuer), with concurrent misses coalesced into one fetch;</li>
 *   <li>the last good keys kept when a fetch fails or returns no usable key;</li>
 *   <li>no keys at all (hence every token rejected) until a first fetch succeeds: it never fails open.</li>
 * </ul>
 * Only RSA keys of at least 2048 bits whose {@code use} is absent or {@code sig} and whose {@code alg} is
 * absent or {@code RS256} are used (parsed by helidon-security-jwt's {@link JwkRSA}). The response body is
 * capped at 1 MiB; redirects are not followed.
 */
public final class JwksKeySource implements KeyLookup, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(JwksKeySource.class.getName());
    private static final int MAX_JWKS_BYTES = 1024 * 1024;
    private static final int MIN_RSA_BITS = 2048;
    private static final JsonReaderFactory JSON = Json.createReaderFactory(Map.of());

    /** One published key: kid may be null. */
    private record Key(String kid, RSAPublicKey publicKey) {
    }

    /** The keys and the number of fetch attempts that produced this state (to coalesce concurrent misses). */
    private record Snapshot(List<Key> keys, long fetchCount) {
    }

    private final URI uri;
    private final HttpClient http;
    private final Duration refreshInterval;
    private final Duration minRefetchInterval;
    private final Duration fetchTimeout;
    private final Clock clock;
    /** Monotonic nanoseconds for the refetch limit: a wall-clock step must not stretch or skip it. */
    private final LongSupplier ticker;
    private final ReentrantLock fetchLock = new ReentrantLock();
    private volatile Snapshot snapshot = new Snapshot(List.of(), 0);
    private volatile JwksHealth health = new JwksHealth(Optional.empty(), Optional.of("not fetched yet"),
            Optional.of("error"), 0, Duration.ZERO);
    private long lastFetchStartNanos; // guarded by fetchLock
    private boolean fetchedOnce; // guarded by fetchLock
    private ScheduledExecutorService scheduler;

    public JwksKeySource(URI uri, HttpClient http, Duration refreshInterval, Duration minRefetchInterval,
                         Duration fetchTimeout) {
        this(uri, http, refreshInterval, minRefetchInterval, fetchTimeout, Clock.systemUTC(), System::nanoTime);
    }

    JwksKeySource(URI uri, HttpClient http, Duration refreshInterval, Duration minRefetchInterval,
                  Duration fetchTimeout, Clock clock, LongSupplier ticker) {
        this.uri = Objects.requireNonNull(uri, "uri");
        this.http = Objects.requireNonNull(http, "http");
        if (!refreshInterval.isPositive() || minRefetchInterval.isNegative() || !fetchTimeout.isPositive()) {
            throw new IllegalArgumentException("JWKS intervals must be positive");
        }
        this.refreshInterval = refreshInterval;
        this.minRefetchInterval = minRefetchInterval;
        this.fetchTimeout = fetchTimeout;
        this.clock = clock;
        this.ticker = ticker;
    }

    /**
     * Fetches the keys once (a failure is recorded in {@link #health()}, not thrown: the server starts and
     * rejects tokens until the JWKS becomes reachable) and schedules the periodic refresh.
     */
    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        refresh();
        scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("jwks-refresh").factory());
        long periodMillis = refreshInterval.toMillis();
        scheduler.scheduleWithFixedDelay(ScheduledTasks.surviving(LOG, "jwks_refresh", this::refresh),
                periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    public URI uri() {
        return uri;
    }

    public JwksHealth health() {
        return health;
    }

    /**
     * Looks the key up; on a miss refetches the JWKS (rate-limited, coalesced) and looks again. Anyone can send
     * an unknown kid, so a request waits for a fetch in progress at most one fetch timeout (a fetch never
     * takes longer) and then answers from the keys it has.
     */
    @Override
    public Optional<RSAPublicKey> find(String kid) {
        Snapshot seen = snapshot;
        Optional<RSAPublicKey> key = lookup(seen, kid);
        if (key.isPresent()) {
            return key;
        }
        try {
            if (!fetchLock.tryLock(fetchTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
                return lookup(snapshot, kid);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return lookup(snapshot, kid);
        }
        try {
            boolean fetchedMeanwhile = snapshot.fetchCount() != seen.fetchCount();
            if (!fetchedMeanwhile && !rateLimited()) {
                fetch();
            }
        } finally {
            fetchLock.unlock();
        }
        return lookup(snapshot, kid);
    }

    /** Fetches the JWKS now, ignoring the refetch rate limit; returns whether it succeeded. */
    public boolean refresh() {
        fetchLock.lock();
        try {
            return fetch();
        } finally {
            fetchLock.unlock();
        }
    }

    private boolean rateLimited() {
        return fetchedOnce && ticker.getAsLong() - lastFetchStartNanos < minRefetchInterval.toNanos();
    }

    private static Optional<RSAPublicKey> lookup(Snapshot snapshot, String kid) {
        List<Key> keys = snapshot.keys();
        if (kid == null) {
            return keys.size() == 1 ? Optional.of(keys.getFirst().publicKey()) : Optional.empty();
        }
        return keys.stream().filter(k -> kid.equals(k.kid())).map(Key::publicKey).findFirst();
    }

    /** Must hold fetchLock. */
    private boolean fetch() {
        long startNanos = ticker.getAsLong();
        lastFetchStartNanos = startNanos;
        fetchedOnce = true;
        Snapshot previous = snapshot;
        try {
            List<Key> keys = download();
            Duration latency = Duration.ofNanos(ticker.getAsLong() - startNanos);
            snapshot = new Snapshot(keys, previous.fetchCount() + 1);
            health = new JwksHealth(Optional.of(clock.instant()), Optional.empty(), Optional.empty(), keys.size(), latency);
            if (!kids(previous.keys()).equals(kids(keys))) {
                Events.log(LOG, Level.INFO, "jwks_keys_loaded", "uri", uri.toString(), "kids", kids(keys));
            }
            return true;
        } catch (FetchFailure failure) {
            Duration latency = Duration.ofNanos(ticker.getAsLong() - startNanos);
            snapshot = new Snapshot(previous.keys(), previous.fetchCount() + 1);
            health = new JwksHealth(health.lastSuccess(), Optional.of(failure.getMessage()), Optional.of(failure.detail),
                    previous.keys().size(), latency);
            Events.log(LOG, Level.WARNING, "jwks_fetch_failed", "uri", uri.toString(), "reason", failure.getMessage(),
                    "keys_kept", previous.keys().size());
            return false;
        }
    }

    /**
     * One GET of the JWKS, bounded by {@code fetchTimeout} as a whole: {@code HttpRequest.timeout} stops at the
     * response headers (JDK-8258397), so the wait on the complete response, body included, is bounded here and
     * a late exchange is cancelled.
     */
    private List<Key> download() throws FetchFailure {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(fetchTimeout)
                .header("Accept", "application/json").GET().build();
        CompletableFuture<HttpResponse<byte[]>> exchange;
        HttpResponse<byte[]> response;
        try {
            exchange = http.sendAsync(request, CappedBody.handler(MAX_JWKS_BYTES));
        } catch (IllegalArgumentException e) {
            throw failureOf(e);
        }
        try {
            response = exchange.get(fetchTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            exchange.cancel(true);
            throw new FetchFailure("timeout", "JWKS request timed out");
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            throw new FetchFailure("error", "JWKS request interrupted");
        } catch (ExecutionException e) {
            throw failureOf(e.getCause());
        }
        if (response.statusCode() != 200) {
            throw new FetchFailure("http_" + response.statusCode(), "JWKS endpoint answered HTTP " + response.statusCode());
        }
        return usableKeys(response.body());
    }

    private static FetchFailure failureOf(Throwable cause) {
        if (cause instanceof CappedBody.TooLarge) {
            return new FetchFailure("invalid_response", "JWKS document larger than 1 MiB");
        }
        if (cause instanceof HttpTimeoutException) {
            return new FetchFailure("timeout", "JWKS request timed out");
        }
        String detail = classify(cause);
        return new FetchFailure(detail, switch (detail) {
            case "connection_refused" -> "cannot connect to the JWKS endpoint";
            case "dns_error" -> "cannot resolve the JWKS host";
            case "tls_error" -> "TLS handshake with the JWKS endpoint failed";
            default -> "JWKS request failed: " + cause.getClass().getSimpleName();
        });
    }

    private static List<Key> usableKeys(byte[] body) throws FetchFailure {
        List<Key> keys = new ArrayList<>();
        for (JsonObject json : jwkObjects(body)) {
            if (!Jwk.KEY_TYPE_RSA.equals(json.getString(Jwk.PARAM_KEY_TYPE, null))) {
                continue;
            }
            JwkRSA rsa = parseRsa(json);
            RSAPublicKey publicKey = (RSAPublicKey) rsa.publicKey();
            if (rsa.usage().map(Jwk.USE_SIGNATURE::equals).orElse(true)
                    && JwkRSA.ALG_RS256.equals(rsa.algorithm()) // helidon's default when alg is absent
                    && publicKey.getModulus().bitLength() >= MIN_RSA_BITS) {
                keys.add(new Key(json.getString(Jwk.PARAM_KEY_ID, null), publicKey));
            }
        }
        if (keys.isEmpty()) {
            throw new FetchFailure("invalid_response", "JWKS document holds no usable RS256 key");
        }
        return List.copyOf(keys);
    }

    /** The {@code keys} array of a JWK set (RFC 7517 §5), every member an object. */
    private static List<JsonObject> jwkObjects(byte[] body) throws FetchFailure {
        try {
            JsonArray array = JSON.createReader(new ByteArrayInputStream(body)).readObject().getJsonArray("keys");
            if (array != null && array.stream().allMatch(k -> k.getValueType() == JsonValue.ValueType.OBJECT)) {
                return array.getValuesAs(JsonObject.class);
            }
        } catch (RuntimeException e) {
            // not JSON, or not an object: the same answer as a wrong shape
        }
        throw new FetchFailure("invalid_response", "JWKS document is not a valid JWK set");
    }

    /**
     * One RSA JWK; a broken one fails the whole document, so the last good keys stay. RFC 7517 §4.5 makes
     * {@code kid} optional but helidon's JWK parser requires it: a key without one is parsed under a stand-in
     * {@code kid} that is then dropped (only a token without {@code kid} can use such a key).
     */
    private static JwkRSA parseRsa(JsonObject json) throws FetchFailure {
        JsonObject withKid = json.containsKey(Jwk.PARAM_KEY_ID) ? json
                : Json.createObjectBuilder(json).add(Jwk.PARAM_KEY_ID, "").build();
        try {
            return JwkRSA.create(withKid);
        } catch (RuntimeException e) {
            throw new FetchFailure("invalid_response", "JWKS document is not a valid JWK set");
        }
    }

    /** The JDK sometimes wraps the real cause (e.g. a refused connection) in a plain IOException. */
    private static String classify(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                return "connection_refused";
            }
            if (t instanceof UnknownHostException) {
                return "dns_error";
            }
            if (t instanceof SSLException) {
                return "tls_error";
            }
        }
        return "error";
    }

    private static List<String> kids(List<Key> keys) {
        return keys.stream().map(k -> String.valueOf(k.kid())).sorted().toList();
    }

    private static final class FetchFailure extends Exception {
        private final String detail;

        FetchFailure(String detail, String message) {
            super(message, null, false, false);
            this.detail = detail;
        }
    }
}
