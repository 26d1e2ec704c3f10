package io.artsore.se.server.tls;

import io.artsore.se.logging.Events;
import io.artsore.se.logging.ScheduledTasks;
import io.helidon.common.tls.Tls;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps the served certificate in step with SE_TLS_CERT / SE_TLS_KEY. cert-manager renews certificates long
 * before they expire and the kubelet swaps the mounted Secret's files (an atomic symlink swap), but a process
 * that read them once would go on serving the old certificate until it expires. The files are compared with
 * the pair in use every interval; a new pair that is a valid key and certificate replaces it for new
 * handshakes (established connections keep theirs), anything else is refused once with an error event and a
 * counted failure, and the old pair stays.
 */
public final class CertificateReloader implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(CertificateReloader.class.getName());

    /** What one look at the files found. */
    public enum Outcome { UNCHANGED, RELOADED, REFUSED }

    private final Path certFile;
    private final Path keyFile;
    private final Clock clock;
    private final Consumer<Tls> apply;
    private final AtomicLong refusals = new AtomicLong();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tls-certificate-reload");
        t.setDaemon(true);
        return t;
    });
    private volatile ServingCertificate serving;
    /** Fingerprint of the last refused pair, so one bad rotation is reported once, not every interval. */
    private volatile String refused;

    /**
     * @param serving the pair the server started with
     * @param apply   installs a new pair in the listener (Helidon's {@code WebServer.reloadTls})
     */
    public CertificateReloader(Path certFile, Path keyFile, ServingCertificate serving, Clock clock,
                               Consumer<Tls> apply) {
        this.certFile = certFile;
        this.keyFile = keyFile;
        this.serving = serving;
        this.clock = clock;
        this.apply = apply;
    }

    public void start(Duration interval) {
        timer.scheduleWithFixedDelay(ScheduledTasks.surviving(LOG, "tls_certificate_reload", this::checkNow),
                interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Compares the files with the pair in use and reloads or refuses a new one. */
    public synchronized Outcome checkNow() {
        String onDisk;
        try {
            onDisk = ServingCertificate.fingerprintOf(certFile, keyFile);
        } catch (ServingCertificate.InvalidCertificate e) {
            return refuse("unreadable: " + e.getMessage(), e.getMessage());
        }
        if (onDisk.equals(serving.fingerprint())) {
            refused = null; // a refused pair was put back by the old one
            return Outcome.UNCHANGED;
        }
        if (onDisk.equals(refused)) {
            return Outcome.REFUSED;
        }
        ServingCertificate next;
        try {
            next = ServingCertificate.load(certFile, keyFile);
        } catch (ServingCertificate.InvalidCertificate e) {
            return refuse(onDisk, e.getMessage());
        }
        if (!next.validAt(clock.instant())) {
            return refuse(onDisk, "the new certificate is not valid now (valid "
                    + next.leaf().getNotBefore().toInstant() + " to " + next.expiresAt() + ")");
        }
        apply.accept(next.tls());
        serving = next;
        refused = null;
        Events.log(LOG, Level.INFO, "tls_certificate_reloaded", "subject", next.subject(),
                "expires_at", next.expiresAt().toString(), "outcome", "success");
        return Outcome.RELOADED;
    }

    /** {@code pair} names what was refused; the same pair is reported (and counted) once. */
    private Outcome refuse(String pair, String reason) {
        if (!pair.equals(refused)) {
            refused = pair;
            refusals.incrementAndGet();
            Events.log(LOG, Level.SEVERE, "tls_certificate_reload_refused", "reason", reason,
                    "serving_expires_at", serving.expiresAt().toString(), "outcome", "failure");
        }
        return Outcome.REFUSED;
    }

    public ServingCertificate serving() {
        return serving;
    }

    /** Pairs on disk refused since startup (a metric). */
    public long refusals() {
        return refusals.get();
    }

    /** True while the files hold a pair that was refused (the old certificate is still served). */
    public boolean newerPairRefused() {
        return refused != null;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
