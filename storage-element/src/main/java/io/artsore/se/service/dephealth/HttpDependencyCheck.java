package io.artsore.se.service.dephealth;

import io.artsore.se.logging.Events;
import io.artsore.se.metrics.SeMetrics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Periodic HTTP GET health check of one dependency, exported with the topologymetrics metric contract
 * (docs/contract.md §11): {@code app_dependency_health} (0/1), {@code app_dependency_latency_seconds} (every check,
 * failed ones included), {@code app_dependency_status{status}} (one-hot over {@link CheckOutcome#STATUSES}) and
 * {@code app_dependency_status_detail{detail}} (the current detail only), each labelled
 * {@code name, group, dependency, type, host, port, critical}. Any 2xx is healthy. The whole exchange is
 * bounded by {@code timeout}. Nothing is exported before the first check completes.
 */
public final class HttpDependencyCheck implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(HttpDependencyCheck.class.getName());
    private static final String[] LABELS = {"name", "group", "dependency", "type", "host", "port", "critical"};
    private static final String HEALTH_HELP = "Dependency health: 1 healthy, 0 unhealthy";
    private static final String STATUS_HELP = "Dependency health check status (one-hot)";
    private static final String DETAIL_HELP = "Detail of the latest dependency health check";

    /** Who checks what; {@code name} is the element's storage id, {@code group} its system. */
    public record Target(String name, String group, String dependency, URI uri, boolean critical) {
        String[] labelValues() {
            int port = uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
            return new String[] {name, group, dependency, "http", uri.getHost(), Integer.toString(port),
                    critical ? "yes" : "no"};
        }
    }

    private final Target target;
    private final HttpClient http;
    private final Duration interval;
    private final Duration timeout;
    private final String[] labels;
    private final SeMetrics metrics;
    private final SeMetrics.Histograms latency;
    private volatile CheckOutcome last;
    private boolean exported;
    private String exportedDetail;
    private ScheduledExecutorService scheduler;

    public HttpDependencyCheck(Target target, HttpClient http, Duration interval, Duration timeout,
                               SeMetrics metrics) {
        this.target = Objects.requireNonNull(target, "target");
        this.http = http;
        this.interval = interval;
        this.timeout = timeout;
        this.labels = target.labelValues();
        this.metrics = metrics;
        this.latency = metrics.histograms("app_dependency_latency_seconds", "Dependency health check latency",
                new double[] {0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10}, LABELS);
    }

    public synchronized void start() {
        if (scheduler == null) {
            scheduler = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().daemon().name("dephealth-" + target.dependency()).factory());
            scheduler.scheduleWithFixedDelay(this::check, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Runs one check now, records and returns its outcome. */
    public CheckOutcome check() {
        long start = System.nanoTime();
        CheckOutcome outcome;
        CompletableFuture<HttpResponse<Void>> response = null;
        try {
            HttpRequest request = HttpRequest.newBuilder(target.uri()).timeout(timeout).GET().build();
            response = http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
            int status = response.get(timeout.toMillis(), TimeUnit.MILLISECONDS).statusCode();
            outcome = CheckOutcome.ofHttpStatus(status, elapsed(start));
        } catch (ExecutionException e) {
            outcome = CheckOutcome.ofFailure(e.getCause(), elapsed(start));
        } catch (TimeoutException e) {
            response.cancel(true); // a body that trickles in must not outlive the check
            outcome = CheckOutcome.ofFailure(e, elapsed(start));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return last;
        } catch (RuntimeException e) {
            outcome = CheckOutcome.ofFailure(e, elapsed(start));
        }
        latency.observe(outcome.latency().toNanos() / 1e9, labels);
        CheckOutcome previous = last;
        last = outcome;
        export(outcome);
        if (previous == null || !previous.detail().equals(outcome.detail())) {
            Events.log(LOG, outcome.healthy() ? Level.INFO : Level.WARNING, "dependency_status_changed",
                    "dependency", target.dependency(), "host", target.uri().getHost(), "status", outcome.status(),
                    "detail", outcome.detail());
        }
        return outcome;
    }

    /** The latest outcome, null before the first check. */
    public CheckOutcome last() {
        return last;
    }

    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    private static Duration elapsed(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /**
     * The gauges appear with the first outcome (nothing is exported before it) and read {@link #last} at
     * scrape time; the detail series follows the detail, so only the current one is exported.
     */
    private synchronized void export(CheckOutcome outcome) {
        if (!exported) {
            metrics.gauge("app_dependency_health", HEALTH_HELP, labelMap(null, null), () -> last.healthy() ? 1 : 0);
            for (String s : CheckOutcome.STATUSES) {
                metrics.gauge("app_dependency_status", STATUS_HELP, labelMap("status", s),
                        () -> s.equals(last.status()) ? 1 : 0);
            }
            exported = true;
        }
        String detail = outcome.detail();
        if (!detail.equals(exportedDetail)) {
            if (exportedDetail != null) {
                metrics.removeGauge("app_dependency_status_detail", labelMap("detail", exportedDetail));
            }
            metrics.gauge("app_dependency_status_detail", DETAIL_HELP, labelMap("detail", detail), () -> 1);
            exportedDetail = detail;
        }
    }

    private Map<String, String> labelMap(String extraName, String extraValue) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < LABELS.length; i++) {
            m.put(LABELS[i], labels[i]);
        }
        if (extraName != null) {
            m.put(extraName, extraValue);
        }
        return m;
    }
}
