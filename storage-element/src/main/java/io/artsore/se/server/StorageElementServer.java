package io.artsore.se.server;

import io.artsore.se.api.Authorizer;
import io.artsore.se.api.DownloadApi;
import io.artsore.se.api.FileLookup;
import io.artsore.se.api.FilesApi;
import io.artsore.se.api.Readiness;
import io.artsore.se.api.Routes;
import io.artsore.se.api.SystemApi;
import io.artsore.se.api.UploadApi;
import io.artsore.se.api.auth.JwksKeySource;
import io.artsore.se.api.auth.OutboundTls;
import io.artsore.se.api.auth.TokenVerifier;
import io.artsore.se.config.SeConfig;
import io.artsore.se.domain.Mode;
import io.artsore.se.logging.Events;
import io.artsore.se.memory.BufferBudget;
import io.artsore.se.metrics.SeMetrics;
import io.artsore.se.api.WriteRouting;
import io.artsore.se.replica.FreshLookup;
import io.artsore.se.replica.ReplicaCoordinator;
import io.artsore.se.replica.ReplicaStatus;
import io.artsore.se.service.StorageEngine;
import io.artsore.se.service.WriteFence;
import io.artsore.se.service.reconcile.Reconciler;
import io.artsore.se.service.background.BackgroundServices;
import io.artsore.se.storage.filestore.DiskSpace;
import io.artsore.se.storage.wal.WalQuarantine;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http1.Http1Config;
import java.io.IOException;
import io.artsore.se.server.tls.CertificateReloader;
import io.artsore.se.server.tls.ServingCertificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Wires and runs one storage element. Start order (plan): config → WAL recovery → index → key source →
 * background work → listener. Stop order: listener (in-flight requests finish within the grace period) →
 * background work → storage.
 */
public final class StorageElementServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(StorageElementServer.class.getName());

    private final SeConfig config;
    private final StorageEngine engine;
    private final WebServer webServer;
    private final List<AutoCloseable> resources;

    private StorageElementServer(SeConfig config, StorageEngine engine, WebServer webServer,
                                 List<AutoCloseable> resources) {
        this.config = config;
        this.engine = engine;
        this.webServer = webServer;
        this.resources = resources;
    }

    public static StorageElementServer start(SeConfig config, Clock clock) throws Exception {
        return start(config, clock, null);
    }

    /** As {@link #start(SeConfig, Clock)}; a non-null {@code reconcilerOverride} serves the reconcile endpoint (tests). */
    public static StorageElementServer start(SeConfig config, Clock clock, Reconciler reconcilerOverride)
            throws Exception {
        List<AutoCloseable> resources = new ArrayList<>();
        // replicated: the coordinator (lock file, journal position) exists before the engine's startup scan
        ReplicaCoordinator replication = config.replicaMode() == SeConfig.ReplicaMode.REPLICATED
                ? ReplicaCoordinator.open(config, clock) : null;
        StorageEngine engine;
        try {
            engine = StorageEngine.open(config, clock, replication == null ? WriteFence.NONE : replication);
        } catch (IOException | RuntimeException e) {
            if (replication != null) {
                replication.close();
            }
            throw e;
        }
        resources.add(engine);
        if (replication != null) {
            resources.add(0, replication); // closed before the engine: hand leadership over first
        }
        try {
            Events.log(LOG, Level.INFO, "storage_opened", "storage_id", config.storageId(),
                    "mode", engine.mode().wireName(), "indexed_files", engine.startupReport().indexedFiles(),
                    "attr_failures", engine.startupReport().attrFailures().size(),
                    "wal_records_quarantined", engine.startupReport().recovery().quarantined(),
                    "index_checkpoint", engine.startupReport().indexCheckpoint().status());
            JwksKeySource keys = new JwksKeySource(config.jwksUrl(),
                    OutboundTls.httpClient(config.caCertPath(), config.proxyConnectTimeout()),
                    config.jwksRefreshInterval(), config.jwksMinRefetchInterval(), Duration.ofSeconds(10));
            keys.start();
            resources.add(0, keys);
            TokenVerifier verifier = new TokenVerifier(keys,
                    new TokenVerifier.Options(config.jwtLeeway(), config.jwtIssuer(), config.jwtAudience()), clock);
            Authorizer auth = new Authorizer(verifier);
            SeMetrics metrics = new SeMetrics();
            resources.add(metrics); // last: its gauges read the engine until everything else has stopped
            registerStoreGauges(metrics, engine, WalQuarantine.in(config.walDir()));
            // background work stops before the key source and the engine close (resources close in list order)
            BackgroundServices background = BackgroundServices.create(config, engine, metrics, clock,
                    OutboundTls.httpClient(config.caCertPath(), config.proxyConnectTimeout()));
            resources.add(0, background);
            if (config.replicaMode() == SeConfig.ReplicaMode.STANDALONE) {
                background.leaderWork().startLeading(); // replicated: the election calls it on promotion
            }
            ReplicaStatus replica = replication == null ? ReplicaStatus.STANDALONE : replication;
            FileLookup lookup = replication == null ? FileLookup.indexOnly(engine) : new FreshLookup(engine, replication::catchUpOnMiss);
            WriteRouting writes = replication == null ? WriteRouting.LOCAL : replication.writeRouting(auth);
            if (replication != null) {
                replication.registerMetrics(metrics);
            }
            AtomicReference<WebServer> listening = new AtomicReference<>();
            CertificateReloader certificates = config.tlsEnabled()
                    ? new CertificateReloader(config.tlsCert().orElseThrow(), config.tlsKey().orElseThrow(),
                            servingCertificate(config, clock), clock, tls -> listening.get().reloadTls(tls))
                    : null;
            if (certificates != null) {
                resources.add(0, certificates);
                registerCertificateGauges(metrics, certificates);
            }
            Readiness readiness = new Readiness(config.dataDir(), config.walDir(), engine::mode, replica,
                    keys::health, DiskSpace.real(),
                    certificates == null ? Optional::empty : () -> Optional.of(certificateCheck(certificates, clock)),
                    clock);
            HttpRouting.Builder routing = HttpRouting.builder();
            Routes.register(routing, metrics,
                    new FilesApi(engine, auth, metrics, lookup),
                    new UploadApi(engine, auth, metrics, config.maxFileSize()),
                    new DownloadApi(engine, auth, metrics, lookup, clock, BufferBudget.process()),
                    new SystemApi(config.storageId(), engine, auth, replica,
                            reconcilerOverride != null ? reconcilerOverride : background.reconciler(), readiness, clock),
                    writes);
            RequestHeadDeadline headDeadline = new RequestHeadDeadline(config.requestHeadTimeout());
            resources.add(headDeadline); // after the listener has stopped
            WebServer server = listener(config, routing, headDeadline, certificates);
            listening.set(server);
            server.start();
            if (certificates != null) {
                certificates.start(config.tlsReloadInterval());
            }
            if (replication != null) {
                replication.start(engine, background.leaderWork(), server.port());
            }
            Events.log(LOG, Level.INFO, "listening", "port", server.port(), "tls", server.hasTls(),
                    "storage_id", config.storageId());
            return new StorageElementServer(config, engine, server, resources);
        } catch (Exception | Error e) {
            closeAll(resources);
            throw e;
        }
    }

    private static WebServer listener(SeConfig config, HttpRouting.Builder routing, RequestHeadDeadline headDeadline,
                                      CertificateReloader certificates) {
        WebServerConfig.Builder b = WebServer.builder()
                .host(config.bindAddress())
                .port(config.port())
                .shutdownHook(false)
                .shutdownGracePeriod(config.shutdownTimeout())
                // Idle timeouts only: a whole-request timeout would kill slow 1 GB transfers.
                .idleConnectionTimeout(config.idleTimeout())
                // Helidon looks for idle connections only every period (default 2 min); check often enough
                // that the timeout holds within a few seconds.
                .idleConnectionPeriod(idleCheckPeriod(config.idleTimeout()))
                // No Nagle: the tail of a multi-segment answer (a list page) otherwise waits for the client's
                // delayed ACK, ~40 ms on Linux (list p90 at 1M files: 50 ms before, 14 ms with it).
                .connectionOptions(o -> o.readTimeout(config.idleTimeout()).tcpNoDelay(true))
                // Helidon's idle check never looks at a connection stuck inside a request head: that gets a deadline.
                // HTTP/1.1 is the only protocol. With service discovery left on next to this explicit config,
                // Helidon 4.5 no longer closed silent connections (nothing sent) after the idle timeout
                // (SlowClientsTest: 0/200): it then has to read bytes to pick a protocol, a state its idle
                // checker does not look at.
                .protocolsDiscoverServices(false)
                // Only the element's own routes: a Helidon feature on the classpath (observe, with its
                // /observe/metrics) must not add endpoints, status codes or authentication rules of its own.
                .featuresDiscoverServices(false)
                .addProtocol(Http1Config.builder()
                        .addReceiveListener(headDeadline)
                        .addSendListener(headDeadline)
                        .build())
                // Each connection holds a descriptor and a virtual thread; past the bound, new ones wait in the
                // accept backlog instead of exhausting the process.
                .maxTcpConnections(config.maxConnections())
                .directHandlers(JsonDirectHandler.forAllEvents())
                .routing(routing);
        if (certificates != null) { // a certificate is always served, also with the development opt-in
            b.tls(certificates.serving().tls());
        }
        return b.build();
    }

    private static ServingCertificate servingCertificate(SeConfig config, Clock clock) {
        ServingCertificate cert;
        try {
            cert = ServingCertificate.load(config.tlsCert().orElseThrow(), config.tlsKey().orElseThrow());
        } catch (ServingCertificate.InvalidCertificate e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        if (!cert.validAt(clock.instant())) { // served anyway: refusing to start would not bring a valid one
            Events.log(LOG, Level.WARNING, "tls_certificate_not_valid", "subject", cert.subject(),
                    "expires_at", cert.expiresAt().toString());
        }
        return cert;
    }

    private static void registerCertificateGauges(SeMetrics metrics, CertificateReloader certificates) {
        metrics.gauge("se_tls_certificate_expiry_timestamp_seconds",
                "When the served TLS certificate expires (Unix seconds)", Map.of(),
                () -> certificates.serving().expiresAt().getEpochSecond());
        metrics.gauge("se_tls_certificate_reload_refused",
                "1 while SE_TLS_CERT/SE_TLS_KEY hold a pair that was refused (the previous one is still served)",
                Map.of(), () -> certificates.newerPairRefused() ? 1 : 0);
    }

    private static Readiness.Check certificateCheck(CertificateReloader certificates, Clock clock) {
        ServingCertificate serving = certificates.serving();
        if (!serving.validAt(clock.instant())) {
            return new Readiness.Check("degraded", "the served certificate is not valid now (expires "
                    + serving.expiresAt() + ")");
        }
        if (certificates.newerPairRefused()) {
            return new Readiness.Check("degraded", "the certificate files hold a pair that was refused; serving the "
                    + "previous one, which expires " + serving.expiresAt());
        }
        return Readiness.Check.ok("serving " + serving.subject() + ", expires " + serving.expiresAt());
    }

    static Duration idleCheckPeriod(Duration idleTimeout) {
        Duration quarter = idleTimeout.dividedBy(4);
        return quarter.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : quarter;
    }

    private static void registerStoreGauges(SeMetrics metrics, StorageEngine engine, WalQuarantine quarantine) {
        metrics.gauge("se_wal_quarantined_records", "Unreadable WAL records waiting in the quarantine folder for an "
                + "operator (-1: the folder cannot be read)", Map.of(), () -> {
                    try {
                        return quarantine.count();
                    } catch (IOException e) {
                        return -1;
                    }
                });
        String files = "Indexed files by status";
        metrics.gauge("se_files_total", files, Map.of("status", "active"), () -> engine.stats().active());
        metrics.gauge("se_files_total", files, Map.of("status", "expired"), () -> engine.stats().expired());
        metrics.gauge("se_files_total", files, Map.of("status", "deleted"), () -> engine.stats().deleted());
        String bytes = "Capacity in bytes by type";
        metrics.gauge("se_storage_bytes", bytes, Map.of("type", "used"), () -> engine.capacity().usedBytes());
        metrics.gauge("se_storage_bytes", bytes, Map.of("type", "total"), () -> engine.capacity().totalBytes());
        metrics.gauge("se_storage_bytes", bytes, Map.of("type", "available"),
                () -> engine.capacity().availableBytes());
        for (Mode m : Mode.values()) {
            metrics.gauge("se_mode_info", "The current mode (1) among all modes", Map.of("mode", m.wireName()),
                    () -> engine.mode() == m ? 1 : 0);
        }
    }

    public int port() {
        return webServer.port();
    }

    public StorageEngine engine() {
        return engine;
    }

    public SeConfig config() {
        return config;
    }


    /** Graceful stop: refuse new connections, let in-flight requests finish (grace period), then release. */
    @Override
    public void close() {
        Events.log(LOG, Level.INFO, "stopping", "storage_id", config.storageId());
        webServer.stop();
        closeAll(resources);
        Events.log(LOG, Level.INFO, "stopped", "storage_id", config.storageId());
    }

    private static void closeAll(List<AutoCloseable> resources) {
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (Exception e) {
                Events.log(LOG, Level.WARNING, "close_failed", e, "resource", r.getClass().getSimpleName());
            }
        }
    }
}
