package io.artsore.operator.runtime;

import io.artsore.operator.crd.StorageElement;
import io.artsore.operator.mode.ClientCredentialsTokens;
import io.artsore.operator.mode.ElementApiClient;
import io.artsore.operator.mode.ElementEndpointResolver;
import io.artsore.operator.mode.LeaderLocator;
import io.artsore.operator.mode.ModeSynchronizer;
import io.artsore.operator.mode.TokenProvider;
import io.artsore.operator.reconcile.ElementSync;
import io.artsore.operator.reconcile.EventRecorder;
import io.artsore.operator.reconcile.RetryPolicy;
import io.artsore.operator.reconcile.StorageElementReconciler;
import io.artsore.operator.status.StatusFactory;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;

/** Wires and runs the operator: controller, leader election, metrics and probe endpoints. */
public final class OperatorRuntime implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(OperatorRuntime.class.getName());

    private final Operator operator;
    private final ProbeServer probes;

    private final AtomicBoolean closing;

    private OperatorRuntime(Operator operator, ProbeServer probes, AtomicBoolean closing) {
        this.operator = operator;
        this.probes = probes;
        this.closing = closing;
    }

    /**
     * @param onLeadershipLost called when this replica loses the Lease while running (not on close); the
     *                         process should exit so that a restarted replica competes again
     */
    public static OperatorRuntime start(KubernetesClient client, OperatorSettings settings,
                                        ElementEndpointResolver resolver, Clock clock, Runnable onLeadershipLost)
            throws IOException, GeneralSecurityException {
        AtomicBoolean closing = new AtomicBoolean();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);

        ElementTrust trust = new ElementTrust(client, settings.caCertPath());
        HttpClient http = trust.base();
        ElementApiClient api = new ElementApiClient(trust);
        ElementSync sync = new ElementSync(client,
                new ModeSynchronizer(resolver, api, new TokenProvider(client, new ClientCredentialsTokens(http, clock))),
                new LeaderLocator(resolver, api),
                new StatusFactory(clock),
                new EventRecorder(client, clock));

        Operator operator = new Operator(o -> {
            o.withKubernetesClient(client)
                    .withCloseClientOnStop(false)
                    // Status is written with a JSON merge patch (see StorageElementReconciler.decide).
                    .withUseSSAToPatchPrimaryResource(false)
                    .withMetrics(MicrometerMetrics.newPerResourceCollectingMicrometerMetricsBuilder(registry).build());
            if (settings.leaderElection()) {
                o.withLeaderElectionConfiguration(leaderElection(settings, closing, onLeadershipLost));
            }
        });
        operator.register(new StorageElementReconciler(sync, settings.resync(), clock),
                (ControllerConfigurationOverrider<StorageElement> c) -> {
                    // failed passes retry with a capped back-off forever; every element is re-checked at least
                    // once per resync period even when no event arrives
                    c.withRetry(RetryPolicy.create());
                    c.withReconciliationMaxInterval(settings.resync());
                    if (settings.watchNamespaces().isEmpty()) {
                        c.watchingAllNamespaces();
                    } else {
                        c.settingNamespaces(settings.watchNamespaces());
                    }
                });
        ProbeServer probes = new ProbeServer(new InetSocketAddress(settings.httpPort()),
                () -> operator.getRuntimeInfo().isStarted() && operator.getRuntimeInfo().allEventSourcesAreHealthy(),
                registry::scrape).start();
        operator.start();
        LOG.log(System.Logger.Level.INFO, "operator started; namespaces={0}, probes on port {1}",
                settings.watchNamespaces().isEmpty() ? "all" : settings.watchNamespaces(), String.valueOf(probes.port()));
        return new OperatorRuntime(operator, probes, closing);
    }

    /**
     * JOSDK's own exit-on-lost-lease calls System.exit, also while stopping from a shutdown hook (which would
     * hang the JVM); losing the Lease is reported to the caller instead, unless the runtime is closing.
     */
    private static LeaderElectionConfiguration leaderElection(OperatorSettings settings, AtomicBoolean closing,
                                                              Runnable onLeadershipLost) {
        LeaderCallbacks callbacks = new LeaderCallbacks(
                () -> LOG.log(System.Logger.Level.INFO, "became leader"),
                () -> {
                    if (!closing.get()) {
                        LOG.log(System.Logger.Level.ERROR, "lost the leader Lease");
                        onLeadershipLost.run();
                    }
                },
                leader -> LOG.log(System.Logger.Level.INFO, "leader is {0}", leader));
        return new LeaderElectionConfiguration(settings.leaseName(), settings.leaseNamespace(),
                LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
                LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
                null, callbacks, false);
    }

    public int probePort() {
        return probes.port();
    }

    /** Stops reconciling (in-flight reconciles finish), then the probe server. */
    @Override
    public void close() {
        closing.set(true);
        operator.stop();
        probes.close();
    }
}
