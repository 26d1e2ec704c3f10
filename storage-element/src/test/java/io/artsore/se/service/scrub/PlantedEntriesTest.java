package io.artsore.se.service.scrub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.artsore.se.domain.FileMetadata;
import io.artsore.se.metrics.SeMetrics;
import io.artsore.se.service.PendingUpload;
import io.artsore.se.service.StorageEngine;
import io.artsore.se.service.TestEngines;
import io.artsore.se.service.reconcile.DataDirReconciler;
import io.artsore.se.service.reconcile.ReconcileIssue;
import io.artsore.se.service.reconcile.ReconcileReport;
import io.artsore.se.storage.filestore.ContentFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Security review M3: whoever can write to the data volume can plant a symbolic link (to a secret), a FIFO or a
 * linked shard directory. The scrubber and full verification read none of them (a FIFO would block them for
 * good), reconciliation reports them, and a purge never deletes through a linked directory.
 */
class PlantedEntriesTest {
    private static final long BOUND_SECONDS = 20;
    private static final String SECRET = "TOKEN=not-for-downloaders";

    @TempDir
    Path root;
    StorageEngine engine;
    final SeMetrics metrics = new SeMetrics();
    final ScrubLedger ledger = new ScrubLedger();
    FileMetadata linked;
    FileMetadata fifo;
    FileMetadata plain;

    @BeforeEach
    void open() throws Exception {
        engine = StorageEngine.open(TestEngines.config(root, "edit", 1 << 20, 1L << 30), Clock.systemUTC());
        linked = upload("linked.txt", SECRET.length());
        fifo = upload("fifo.txt", 10);
        plain = upload("plain.txt", 10);
        Path secret = Files.writeString(root.resolve("secret.env"), SECRET);
        Path linkedData = engine.contentPath(linked);
        Files.delete(linkedData);
        Files.createSymbolicLink(linkedData, secret);
        Path fifoData = engine.contentPath(fifo);
        Files.delete(fifoData);
        mkfifo(fifoData);
    }

    @AfterEach
    void close() {
        engine.close();
        metrics.close();
    }

    @Test
    void theScrubberNeitherBlocksOnAFifoNorHashesWhatALinkPointsTo() throws Exception {
        Scrubber scrubber = new Scrubber(engine, ledger, 1L << 30, Clock.systemUTC(), Duration.ofMillis(50),
                metrics);
        AtomicReference<Integer> hashed = new AtomicReference<>();
        Thread pass = daemon(() -> hashed.set(scrubber.pass()));
        pass.join(TimeUnit.SECONDS.toMillis(BOUND_SECONDS));
        assertThat(pass.isAlive()).as("scrubber pass blocked").isFalse();
        assertThat(hashed.get()).isEqualTo(1);
        assertThat(ledger.lastVerified(plain.fileId())).isPresent();
        assertThat(ledger.lastVerified(linked.fileId())).isEmpty();
        assertThat(ledger.lastVerified(fifo.fileId())).isEmpty();
    }

    @Test
    void reconciliationReportsLinksAndFifosAndFullVerificationReadsNeither() throws Exception {
        Path strayFifo = engine.contentPath(plain).resolveSibling("stray-fifo");
        mkfifo(strayFifo);
        DataDirReconciler reconciler = new DataDirReconciler(engine, root.resolve("data"), root.resolve("wal"), ledger,
                metrics, Clock.systemUTC(), DataDirReconciler.DEFAULT_TEMP_SAFETY_AGE);
        AtomicReference<ReconcileReport> report = new AtomicReference<>();
        Thread run = daemon(() -> report.set(reconciler.reconcile(true)));
        run.join(TimeUnit.SECONDS.toMillis(BOUND_SECONDS));
        assertThat(run.isAlive()).as("full verification blocked").isFalse();

        assertThat(report.get().issues()).extracting(ReconcileIssue::path, ReconcileIssue::type).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(linked.storagePath(), "missing_file"),
                org.assertj.core.groups.Tuple.tuple(fifo.storagePath(), "missing_file"),
                org.assertj.core.groups.Tuple.tuple(root.resolve("data").relativize(strayFifo).toString(),
                        "orphaned_file"));
        assertThat(report.get().issues()).filteredOn(i -> i.fileId() != null && i.fileId().equals(linked.fileId()))
                .singleElement().extracting(ReconcileIssue::description).asString().contains("symbolic link");
        assertThat(ledger.lastVerified(plain.fileId())).isPresent();
    }

    @Test
    void aPurgeDoesNotDeleteThroughALinkedShardDirectory() throws Exception {
        engine.softDelete(plain.fileId());
        Path shard = engine.contentPath(plain).getParent();
        Path elsewhere = root.resolve("elsewhere");
        Files.move(shard, elsewhere);
        Files.createSymbolicLink(shard, elsewhere);
        Path outsideData = elsewhere.resolve(engine.contentPath(plain).getFileName());

        assertThatThrownBy(() -> engine.purge(plain.fileId())).isInstanceOf(ContentFiles.NotRegularContentException.class);
        assertThat(outsideData).exists();
        assertThat(Path.of(outsideData + ".attr.json")).exists();
    }

    private FileMetadata upload(String name, int size) throws Exception {
        byte[] data = "x".repeat(size).getBytes(StandardCharsets.UTF_8);
        try (PendingUpload u = engine.beginUpload("planted-test", size)) {
            u.writeContent(name, "text/plain", new ByteArrayInputStream(data));
            return u.commit(null, null, null);
        }
    }

    static void mkfifo(Path path) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
        assertThat(p.waitFor(BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
    }

    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }

    /** A daemon, so a thread blocked on a FIFO (the bug) cannot keep the test JVM alive. */
    private static Thread daemon(Body body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "planted-entries");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
