package io.artsore.e2e.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Power cuts under load (issue 18): the element's data and WAL dirs live on the power-cut file system
 * ({@link PowerCutFs}); concurrent clients upload (mixed sizes), patch and delete while GC purges deleted files
 * every second (no grace); at a random moment the element is killed with SIGKILL and the power is cut, so everything no
 * fsync made durable is gone. After each restart the clients' log of acknowledged operations is checked
 * ({@link AckedOperations}): every acknowledged upload listed and byte-identical, every acknowledged patch and
 * delete applied, nothing partial or unacknowledged visible, no leftovers, WAL empty, listing == the attr.json
 * files on disk; every fifth cut reconciliation must find nothing. The checks run on an element started with GC
 * off (a purge racing the disk scan would look like a difference); it is then killed and started with GC on for
 * the next load.
 *
 * <p>{@code -Dse.powercut.cuts=N} (default 30), {@code -Dse.powercut.seed=S}, {@code -Dse.powercut.tear=true}
 * (cuts also keep a 512-byte-aligned prefix of each file's last unsynced write).
 */
class PowerCutUnderLoadTest {
    static final int CUTS = Integer.getInteger("se.powercut.cuts", 30);
    static final long SEED = Long.getLong("se.powercut.seed", System.nanoTime());
    static final boolean TEAR = Boolean.getBoolean("se.powercut.tear");
    private static final String GC_ON = "1s";
    private static final String GC_OFF = "1h";

    @TempDir(cleanup = CleanupMode.ON_SUCCESS) // a failed run keeps its logs and trees
    Path root;

    @Test
    void everyAcknowledgedOperationSurvivesPowerCuts() throws Exception {
        Assumptions.assumeTrue(PowerCutFs.enabled(), "-Dse.powercut=off");
        long started = System.nanoTime();
        Outcome o = run(root, CUTS, null, SEED, TEAR);
        o.log.figures(new Summary("power-cut-under-load").put("cuts", o.cuts).put("seed", SEED).put("tear", TEAR))
                .put("lost_acked_ops", o.lost()).put("partial_files_visible", o.partial())
                .put("reconciles_clean", o.reconcilesClean)
                .put("seconds", (System.nanoTime() - started) / 1_000_000_000L).print();
        assertThat(o.log.failures()).isEmpty();
        assertThat(o.cuts).isEqualTo(CUTS);
        assertThat(o.log.ackedUploads()).as("the load must really write").isGreaterThan(CUTS);
    }

    /** What a run did: cuts survived (all of them, or up to the first failure) and the clients' log. */
    record Outcome(int cuts, AckedOperations log, long reconcilesClean) {
        long lost() {
            return log.failures().stream().filter(f -> f.contains("lost") || f.contains("not applied")
                    || f.contains("not byte-identical")).count();
        }

        long partial() {
            return log.failures().stream().filter(f -> f.contains("partial")).count();
        }
    }

    /**
     * Runs up to {@code cuts} load-then-cut cycles on a fresh power-cut file system below {@code root}, stopping
     * at the first cycle with a failure. {@code skipFsync} names one fsync the element skips (the mutation
     * switch, {@code se.crashpoint.skipFsync}), null for none.
     */
    static Outcome run(Path root, int cuts, String skipFsync, long seed, boolean tear) throws Exception {
        AckedOperations log = new AckedOperations(false).deletedMayBePurged();
        Random schedule = new Random(seed);
        int done = 0;
        long reconcilesClean = 0;
        try (TokenForge forge = new TokenForge(); PowerCutFs fs = PowerCutFs.mount(root);
             SeChild se = SeChild.onStorage(fs.root(), root.resolve("se.log"), forge,
                     Map.of("SE_GC_INTERVAL", GC_ON, "SE_GC_GRACE_DELETED", "0s"))) {
            if (skipFsync != null) {
                se.jvmArg("-Dse.crashpoint.skipFsync=" + skipFsync);
            }
            SeClient client = new SeClient(se.url(), Duration.ofSeconds(20));
            se.start();
            for (int cut = 0; cut < cuts && log.failures().isEmpty(); cut++) {
                // fresh tokens every cut: they live an hour, a long run lasts longer
                String writeToken = forge.token("powercut-writer", "files:read", "files:write");
                String adminToken = forge.token("powercut-admin", "files:read", "storage:write");
                log.runLoadUntil(() -> {
                    se.kill(); // first: nothing may write between the cut and the restart
                    if (tear) {
                        fs.cutTearing();
                    } else {
                        fs.cut();
                    }
                }, List.of(client), writeToken, cut, schedule);
                try {
                    se.env("SE_GC_INTERVAL", GC_OFF).start();
                } catch (IllegalStateException e) { // e.g. a corrupt mode.json: the element refuses to start
                    log.failures().add("element does not start after the cut: " + e.getMessage());
                    done++;
                    break;
                }
                try {
                    DiskState disk = DiskState.scan(se.dataDir(), se.walDir());
                    log.checkDisk(disk);
                    log.checkLog(client, writeToken, disk, schedule);
                    if (cut % 5 == 4 && log.failures().isEmpty()) {
                        reconcilesClean += log.reconcileFindsNothing(client, adminToken, se) ? 1 : 0;
                    }
                } catch (Exception e) { // e.g. a listing that fails: a finding of this cut, not a broken test
                    log.failures().add("check after the cut failed: " + e + "\n" + se.logTail());
                }
                done++;
                se.kill(); // a plain crash, no cut: the next load runs with GC on
                se.env("SE_GC_INTERVAL", GC_ON).start();
            }
            if (log.failures().isEmpty()) {
                log.verifyAllDownloads(client, forge.token("powercut-writer", "files:read", "files:write"));
            }
        }
        return new Outcome(done, log, reconcilesClean);
    }
}
