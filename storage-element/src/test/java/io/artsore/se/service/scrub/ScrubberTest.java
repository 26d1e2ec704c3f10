package io.artsore.se.service.scrub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.artsore.se.domain.FileMetadata;
import io.artsore.se.metrics.SeMetrics;
import io.artsore.se.service.PendingUpload;
import io.artsore.se.service.StorageEngine;
import io.artsore.se.service.TestEngines;
import io.artsore.se.service.reconcile.DataDirReconciler;
import io.artsore.se.service.reconcile.ReconcileIssue;
import io.artsore.se.service.reconcile.ReconcileReport;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scrubber finds bit rot at its configured rate, and never reads faster than that rate. */
class ScrubberTest {
    static final int FILE_SIZE = 256 * 1024;

    @TempDir
    Path root;
    StorageEngine engine;
    final SeMetrics metrics = new SeMetrics();
    final ScrubLedger ledger = new ScrubLedger();
    Scrubber scrubber;

    @BeforeEach
    void open() throws Exception {
        engine = StorageEngine.open(TestEngines.config(root, "rw", 1 << 20, 1L << 30), Clock.systemUTC());
    }

    @AfterEach
    void close() {
        if (scrubber != null) {
            scrubber.stop();
        }
        engine.close();
    }

    @Test
    void aFlippedByteIsFoundWithinAboutOnePassAndReportedByTheNextReconciliation() throws Exception {
        long rate = 1024 * 1024;
        List<FileMetadata> files = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            files.add(upload("f" + i + ".bin", FILE_SIZE, i));
        }
        scrubber = new Scrubber(engine, ledger, rate, Clock.systemUTC(), Duration.ofMillis(50), metrics);
        scrubber.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> files.stream()
                .allMatch(f -> ledger.lastVerified(f.fileId()).isPresent()));
        assertThat(ledger.mismatchCount()).isZero();

        FileMetadata victim = files.get(2);
        Path content = engine.contentPath(victim);
        byte[] bytes = Files.readAllBytes(content);
        bytes[FILE_SIZE / 2] ^= 0x10;
        Files.write(content, bytes);
        long flippedAt = System.nanoTime();
        double onePass = 4.0 * FILE_SIZE / rate;
        // the flipped file is re-read within one pass from now (plus the pass in progress)
        await().atMost(Duration.ofSeconds(60)).until(() -> ledger.mismatch(victim.fileId()).isPresent());
        double found = (System.nanoTime() - flippedAt) / 1e9;
        System.out.printf("scrubber: mismatch found %.2f s after the flip; one pass at %d B/s takes %.2f s%n",
                found, rate, onePass);
        assertThat(scrape()).contains("se_scrub_checksum_mismatches_total 1.0", "se_scrub_known_checksum_mismatches 1.0");

        DataDirReconciler reconciler = new DataDirReconciler(engine, root.resolve("data"), root.resolve("wal"), ledger,
                metrics, Clock.systemUTC(), DataDirReconciler.DEFAULT_TEMP_SAFETY_AGE);
        ReconcileReport report = reconciler.reconcile(false);
        assertThat(report.issues()).extracting(ReconcileIssue::fileId, ReconcileIssue::path, ReconcileIssue::type)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(victim.fileId(), victim.storagePath(),
                        "checksum_mismatch"));
        assertThat(report.summary().checksumMismatches()).isEqualTo(1);
        assertThat(report.summary().ok()).isEqualTo(3);

        // repaired content: the next pass clears the finding
        Files.write(content, flipBack(bytes));
        await().atMost(Duration.ofSeconds(60)).until(() -> ledger.mismatch(victim.fileId()).isEmpty());
        assertThat(reconciler.reconcile(false).issues()).isEmpty();
    }

    @Test
    void theConfiguredRateHoldsOverARun() throws Exception {
        long rate = 512 * 1024;
        for (int i = 0; i < 8; i++) {
            upload("r" + i + ".bin", FILE_SIZE * 2, i); // 4 MiB: more than a run reads
        }
        scrubber = new Scrubber(engine, ledger, rate, Clock.systemUTC(), Duration.ofMillis(50), metrics);
        long start = System.nanoTime();
        scrubber.start();
        Thread.sleep(3000);
        scrubber.stop();
        double seconds = (System.nanoTime() - start) / 1e9;
        double bytes = counter("se_scrub_bytes_total");
        double measured = bytes / seconds;
        System.out.printf("scrubber: %.0f bytes in %.2f s = %.0f B/s at a configured %d B/s%n", bytes, seconds,
                measured, rate);
        assertThat(bytes).as("it made progress").isPositive();
        assertThat(measured).as("never faster than configured (one chunk of slack)")
                .isLessThanOrEqualTo(1.5 * rate);
    }

    @Test
    void theLimiterNeverGrantsMoreThanItsRate() throws Exception {
        ByteRateLimiter limiter = new ByteRateLimiter(100_000);
        long start = System.nanoTime();
        for (int i = 0; i < 11; i++) {
            limiter.acquire(10_000); // 110,000 bytes booked: the 11th booking starts 1 s after the first
        }
        assertThat((System.nanoTime() - start) / 1e9).isGreaterThanOrEqualTo(0.99);
    }

    private static byte[] flipBack(byte[] bytes) {
        bytes[FILE_SIZE / 2] ^= 0x10;
        return bytes;
    }

    private FileMetadata upload(String name, int size, long seed) throws Exception {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        try (PendingUpload u = engine.beginUpload("scrub-test", size)) {
            u.writeContent(name, "application/octet-stream", new ByteArrayInputStream(data));
            return u.commit(null, null, null);
        }
    }

    private String scrape() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        metrics.write(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private double counter(String name) throws Exception {
        return scrape().lines().filter(l -> l.startsWith(name + " ")).mapToDouble(l -> Double.parseDouble(l.split(" ")[1]))
                .findFirst().orElseThrow();
    }
}
