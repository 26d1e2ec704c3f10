package io.artsore.e2e.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash under load over HTTP (issue 9, item 1): concurrent clients upload, patch and delete on a real element
 * process in edit mode while it is killed with SIGKILL at a random moment; after each restart the clients' log
 * of acknowledged operations is checked against what the element serves and what is on disk
 * ({@link AckedOperations}), and every fifth cycle reconciliation must find no issue.
 *
 * <p>{@code -Dse.soak.cycles=N} (default 50) and {@code -Dse.soak.seed=S} for the long / reproducible run.
 */
class CrashUnderLoadTest {
    private static final int CYCLES = Integer.getInteger("se.soak.cycles", 50);
    private static final long SEED = Long.getLong("se.soak.seed", System.nanoTime());

    @TempDir
    Path root;

    @Test
    void everyAcknowledgedOperationSurvivesSigkill() throws Exception {
        AckedOperations log = new AckedOperations(false);
        Random schedule = new Random(SEED);
        int cycles = 0;
        long restartMillis = 0;
        long reconcilesClean = 0;
        try (TokenForge forge = new TokenForge();
             SeChild se = new SeChild(root, forge, Map.of("SE_GC_INTERVAL", "1h"))) {
            String writeToken = forge.token("crash-writer", "files:read", "files:write");
            String adminToken = forge.token("crash-admin", "files:read", "storage:write");
            SeClient client = new SeClient(se.url(), Duration.ofSeconds(20));
            se.start();
            for (int cycle = 0; cycle < CYCLES && log.failures().isEmpty(); cycle++) {
                log.runLoadUntil(se::kill, List.of(client), writeToken, cycle, schedule);
                long restart = System.nanoTime();
                se.start();
                restartMillis += (System.nanoTime() - restart) / 1_000_000;
                DiskState disk = DiskState.scan(se.dataDir(), se.walDir());
                log.checkDisk(disk);
                log.checkLog(client, writeToken, disk, schedule);
                if (cycle % 5 == 4) {
                    reconcilesClean += log.reconcileFindsNothing(client, adminToken, se) ? 1 : 0;
                }
                cycles++;
            }
            if (log.failures().isEmpty()) {
                log.verifyAllDownloads(client, writeToken);
            }
        } finally {
            log.figures(new Summary("crash-under-load").put("cycles", cycles).put("seed", SEED))
                    .put("avg_restart_ms", cycles == 0 ? 0 : restartMillis / cycles)
                    .put("reconciles_clean", reconcilesClean).print();
        }
        assertThat(log.failures()).isEmpty();
        assertThat(cycles).isEqualTo(CYCLES);
        assertThat(log.ackedUploads()).as("the load must really write").isGreaterThan(CYCLES);
    }
}
