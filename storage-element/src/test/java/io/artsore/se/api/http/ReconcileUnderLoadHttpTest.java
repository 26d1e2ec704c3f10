package io.artsore.se.api.http;

import static io.artsore.se.api.http.HttpTestSupport.errorCode;
import static io.artsore.se.api.http.HttpTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.artsore.se.testing.LargeStore;
import io.artsore.se.testing.SeTestServer;
import io.artsore.se.testing.TestIssuer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reconciliation of a large store (default 20,000 files; {@code -Dse.reconcile.largeStoreFiles=200000} for the size, which takes
 * minutes here, mostly creating and deleting 400,000 files) generated
 * on disk: list and metadata requests keep being answered while it runs (latencies printed, not asserted:
 * the machine is shared), and a manual run while the periodic one is going gets 409 RECONCILE_IN_PROGRESS.
 */
class ReconcileUnderLoadHttpTest {
    static final int FILES = Integer.getInteger("se.reconcile.largeStoreFiles", 20_000);
    static final String RECONCILE = "/api/v1/maintenance/reconcile";

    @TempDir
    static Path root;
    static List<UUID> ids;
    static TestIssuer issuer;

    @BeforeAll
    static void generate() throws Exception {
        long t0 = System.nanoTime();
        ids = LargeStore.generate(root.resolve("data"), FILES);
        System.out.printf("large store: %d files generated in %.1f s%n", FILES, (System.nanoTime() - t0) / 1e9);
        issuer = new TestIssuer();
    }

    @AfterAll
    static void closeIssuer() {
        issuer.close();
    }

    @Test
    void requestsKeepBeingServedDuringAReconcileOfALargeStore() throws Exception {
        long t0 = System.nanoTime();
        try (SeTestServer se = SeTestServer.start(root, issuer, Map.of("SE_SCRUB_BYTES_PER_SEC", "0"))) {
            System.out.printf("large store: startup with %d files took %.1f s%n", FILES, (System.nanoTime() - t0) / 1e9);
            String token = se.token("files:read");
            List<Double> idle = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                idle.add(timedRead(se, token, i));
            }
            long start = System.nanoTime();
            CompletableFuture<HttpResponse<byte[]>> run = CompletableFuture.supplyAsync(() -> {
                try {
                    return se.send(se.authorized(RECONCILE, "storage:write")
                            .POST(HttpRequest.BodyPublishers.noBody()).build());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            List<Double> during = new ArrayList<>();
            for (int i = 0; !run.isDone() && i < 1_000_000; i++) {
                during.add(timedRead(se, token, i));
            }
            HttpResponse<byte[]> response = run.join();
            double reconcileSeconds = (System.nanoTime() - start) / 1e9;
            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode report = json(response);
            assertThat(report.path("files_checked").asLong()).isEqualTo(FILES);
            assertThat(report.path("issues")).isEmpty();
            assertThat(report.path("summary").path("ok").asLong()).isEqualTo(FILES);
            assertThat(during).as("requests were answered while the reconcile ran").isNotEmpty();
            System.out.printf("large store: reconcile of %d files took %.1f s; idle reads p50 %.1f ms p99 %.1f ms; "
                            + "%d reads during reconcile p50 %.1f ms p99 %.1f ms max %.1f ms%n", FILES, reconcileSeconds,
                    pct(idle, 50), pct(idle, 99), during.size(), pct(during, 50), pct(during, 99), pct(during, 100));
        }
    }

    @Test
    void aManualRunWhileThePeriodicRunIsGoingGets409() throws Exception {
        try (SeTestServer se = SeTestServer.start(root, issuer,
                Map.of("SE_SCRUB_BYTES_PER_SEC", "0", "SE_RECONCILE_INTERVAL", "20ms"))) {
            HttpResponse<byte[]> refused = null;
            for (int attempt = 0; attempt < 100 && refused == null; attempt++) {
                HttpResponse<byte[]> r = se.send(se.authorized(RECONCILE, "storage:write")
                        .POST(HttpRequest.BodyPublishers.noBody()).build());
                if (r.statusCode() == 409) {
                    refused = r;
                } else {
                    assertThat(r.statusCode()).isEqualTo(200);
                }
            }
            assertThat(refused).as("a manual run overlapped a periodic one").isNotNull();
            assertThat(errorCode(refused)).isEqualTo("RECONCILE_IN_PROGRESS");
        }
    }

    /** Alternates a first-page list and a metadata lookup; returns the latency in ms. */
    private static double timedRead(SeTestServer se, String token, int i) throws Exception {
        String path = i % 2 == 0 ? "/api/v1/files?limit=100" : "/api/v1/files/" + ids.get((i * 7919) % ids.size());
        long t = System.nanoTime();
        HttpResponse<byte[]> r = se.sendRaw(se.request(path).header("Authorization", "Bearer " + token).GET().build());
        double ms = (System.nanoTime() - t) / 1e6;
        assertThat(r.statusCode()).isEqualTo(200);
        return ms;
    }

    private static double pct(List<Double> values, int p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
