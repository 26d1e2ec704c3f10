package io.artsore.se.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.artsore.se.config.SeConfig;
import io.artsore.se.domain.FileMetadata;
import io.artsore.se.domain.FileStatus;
import io.artsore.se.storage.CrashPoints;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash-safety proof with real processes. A child JVM ({@link CrashChild}) writes to a data root and is killed
 * — by {@code Runtime.halt} at every named crash point, and by SIGKILL at random moments under concurrent
 * writes. After each crash this JVM opens the root (running recovery) and checks: every acknowledged write is
 * there (uploads with their checksum), nothing unacknowledged is visible, an in-flight write is either fully
 * applied or not at all (exactly as the crash point predicts), no temp files or WAL records remain, and the
 * index equals a recount from disk.
 */
class CrashSafetyTest {
    /** Crash points and whether the interrupted write has passed its commit point there. */
    static final Map<String, Boolean> POINTS = new LinkedHashMap<>();

    static {
        for (String p : List.of("wal.begin.temp-synced", "wal.begin.renamed", "upload.wal-begun",
                "upload.temp-created", "upload.content-partial", "upload.content-written",
                // the content's fsync runs in the background; the WAL commit waits for it
                "upload.content-synced", "upload.data-renamed", "upload.attr.temp-synced", "upload.attr.renamed",
                "upload.attr-durable",
                "update.wal-begun", "update.attr.temp-synced", "update.attr.renamed", "update.attr-durable",
                "delete.wal-begun", "delete.attr.temp-synced", "delete.attr.renamed", "delete.attr-durable")) {
            POINTS.put(p, false);
        }
        for (String p : List.of("upload.wal-settled", "upload.indexed", "update.wal-settled", "delete.wal-settled",
                // a purge that started is finished by recovery
                "purge.wal-begun", "purge.attr-removed", "purge.data-removed", "purge.wal-settled")) {
            POINTS.put(p, true);
        }
    }

    static final int TRIALS_PER_POINT = Integer.getInteger("se.crash.trialsPerPoint", 3);
    static final int KILL_TRIALS = Integer.getInteger("se.crash.killTrials", 120);

    @TempDir
    Path tmp;

    static SeConfig config(Path root) {
        return TestEngines.config(root, "edit", 1 << 20, 1L << 32);
    }

    /** Expected state of one file as far as acknowledged writes tell. */
    record Expect(String checksum, String description, FileStatus status) {
        static Expect of(FileMetadata m) {
            return new Expect(m.checksum(), m.description(), m.status());
        }
    }

    record Op(String kind, UUID id, String arg) {
        static Op parse(String[] parts) {
            return new Op(parts[1], UUID.fromString(parts[2]), parts[3]);
        }

        /** The state after this write, applied to {@code before} (null = absent). */
        Expect applyTo(Expect before) {
            return switch (kind) {
                case "upload" -> new Expect(arg, "c", FileStatus.ACTIVE);
                case "update" -> new Expect(before.checksum(), arg, before.status());
                case "delete" -> new Expect(before.checksum(), before.description(), FileStatus.DELETED);
                case "purge" -> null;
                default -> throw new IllegalArgumentException(kind);
            };
        }
    }

    /** What one crashed child reported. */
    record Run(int exitCode, List<Op> acked, List<Op> inFlight, List<String> raw) {
    }

    static final class Stats {
        int trials;
        int inFlightApplied;
        int inFlightNotApplied;
        int ackedWrites;
    }

    @Test
    void everyNamedCrashPointRecoversToAConsistentState() throws Exception {
        Path root = tmp.resolve("points");
        Map<UUID, Expect> model = new HashMap<>();
        Stats stats = new Stats();
        long seed = 1;
        for (var point : POINTS.entrySet()) {
            for (int trial = 0; trial < TRIALS_PER_POINT; trial++) {
                Run run = runChild(root, seed++, 40, 1, Death.atCrashPoint(point.getKey()));
                assertThat(run.exitCode()).as("crash point %s must be reached; output %s", point.getKey(), run.raw())
                        .isEqualTo(CrashPoints.EXIT_STATUS);
                assertThat(run.inFlight()).as("one write in flight at %s", point.getKey()).hasSize(1);
                verify(root, model, run, point.getValue(), stats);
            }
        }
        // a crash while recovery itself runs: recovery must be idempotent
        for (int trial = 0; trial < TRIALS_PER_POINT; trial++) {
            Run interrupted = runChild(root, seed++, 40, 1, Death.atCrashPoint("upload.attr-durable"));
            assertThat(interrupted.exitCode()).isEqualTo(CrashPoints.EXIT_STATUS);
            Run duringRecovery = runChild(root, seed++, 40, 1, Death.atCrashPoint("wal.rollback.undone"));
            assertThat(duringRecovery.exitCode()).as("halted inside recovery").isEqualTo(CrashPoints.EXIT_STATUS);
            assertThat(duringRecovery.raw()).doesNotContain("READY");
            verify(root, model, interrupted, false, stats);
        }
        System.out.printf("crash-point trials: %d, acked writes %d, in-flight applied %d / not applied %d%n",
                stats.trials, stats.ackedWrites, stats.inFlightApplied, stats.inFlightNotApplied);
        assertThat(stats.trials).isEqualTo(POINTS.size() * TRIALS_PER_POINT + TRIALS_PER_POINT);
    }

    @Test
    void sigkillAtRandomMomentsUnderConcurrentWritesLosesNothingAcknowledged() throws Exception {
        Path root = tmp.resolve("kill");
        Map<UUID, Expect> model = new HashMap<>();
        Stats stats = new Stats();
        Random rnd = new Random(42);
        int killedMidWrite = 0;
        for (int trial = 0; trial < KILL_TRIALS; trial++) {
            // the kill is timed off the child's own progress (its n-th write starting), not the wall clock, so
            // a slow machine delays it together with the writes
            Run run = runChild(root, 1000 + trial, 100_000, 3,
                    Death.killedAfterBegins(1 + rnd.nextInt(120), rnd.nextInt(3_000)));
            assertThat(run.raw()).as("killed before finishing").doesNotContain("DONE");
            assertThat(run.exitCode()).as("killed, not failed").isNotIn(0, 3, CrashPoints.EXIT_STATUS);
            if (!run.inFlight().isEmpty()) {
                killedMidWrite++;
            }
            verify(root, model, run, null, stats);
        }
        System.out.printf("kill -9 trials: %d (%d with writes in flight), acked writes %d, "
                        + "in-flight applied %d / not applied %d%n", stats.trials, killedMidWrite, stats.ackedWrites,
                stats.inFlightApplied, stats.inFlightNotApplied);
        assertThat(killedMidWrite).as("kills landed while writes ran").isPositive();
    }

    /** How a child dies: halted at a named crash point, or SIGKILLed after its n-th BEGIN line plus a delay. */
    record Death(String crashPoint, int killAfterBegins, long delayMicros) {
        static Death atCrashPoint(String point) {
            return new Death(point, -1, 0);
        }

        static Death killedAfterBegins(int begins, long delayMicros) {
            return new Death(null, begins, delayMicros);
        }
    }

    private Run runChild(Path root, long seed, int maxOps, int threads, Death death) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx96m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto"));
        if (death.crashPoint() != null) {
            cmd.add("-Dse.crashpoint=" + death.crashPoint());
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), CrashChild.class.getName(),
                root.toString(), Long.toString(seed), Integer.toString(maxOps), Integer.toString(threads)));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<String> lines = new ArrayList<>();
        int begins = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                lines.add(line);
                if (line.startsWith("BEGIN ") && ++begins == death.killAfterBegins()) {
                    Thread killer = Thread.ofVirtual().start(() -> {
                        try {
                            TimeUnit.MICROSECONDS.sleep(death.delayMicros());
                        } catch (InterruptedException ignored) {
                            Thread.currentThread().interrupt();
                        }
                        // SIGKILL through the handle: Process.destroyForcibly() would also close our end of
                        // the pipes and lose the lines the child flushed before dying
                        p.toHandle().destroyForcibly();
                    });
                    killer.setName("killer");
                }
            }
        }
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("child finished").isTrue();
        Map<String, Op> open = new LinkedHashMap<>();
        List<Op> acked = new ArrayList<>();
        for (String line : lines) {
            String[] parts = line.split(" ");
            switch (parts[0]) {
                case "BEGIN" -> open.put(parts[1] + parts[2], Op.parse(parts));
                case "ACK" -> {
                    open.remove(parts[1] + parts[2]);
                    acked.add(Op.parse(parts));
                }
                case "READY", "DONE" -> { }
                default -> throw new AssertionError("unexpected child output: " + line + " in " + lines);
            }
        }
        return new Run(p.exitValue(), acked, new ArrayList<>(open.values()), lines);
    }

    /**
     * Recovers the root in this JVM and checks it against the model of acknowledged writes; then folds the
     * observed outcome of in-flight writes into the model. {@code inFlightCommitted} is the expected outcome of
     * the in-flight write (null: either is fine, it must just be all or nothing).
     */
    private void verify(Path root, Map<UUID, Expect> model, Run run, Boolean inFlightCommitted, Stats stats)
            throws IOException {
        stats.trials++;
        stats.ackedWrites += run.acked().size();
        Set<UUID> touched = new HashSet<>();
        for (Op op : run.acked()) {
            Expect after = op.applyTo(model.get(op.id()));
            if (after == null) {
                model.remove(op.id());
            } else {
                model.put(op.id(), after);
            }
            touched.add(op.id());
        }
        SeConfig cfg = config(root);
        try (StorageEngine e = StorageEngine.open(cfg, Clock.systemUTC())) {
            assertThat(e.startupReport().attrFailures()).isEmpty();
            try (var walFiles = Files.list(cfg.walDir())) {
                assertThat(walFiles).as("WAL empty after recovery").isEmpty();
            }
            DiskTruth disk = DiskTruth.scan(cfg.dataDir());
            assertThat(disk.tempFiles).as("no temp files").isEmpty();
            assertThat(disk.otherFiles).as("no orphan data files").isEmpty();
            assertThat(e.stats()).as("index counters == recount").isEqualTo(disk.stats());
            assertThat(DiskTruth.indexedFiles(e)).as("index == disk")
                    .containsExactlyInAnyOrderElementsOf(disk.files.values());

            Map<UUID, Op> inFlight = new HashMap<>();
            for (Op op : run.inFlight()) {
                assertThat(inFlight.put(op.id(), op)).as("one write per file in flight").isNull();
            }
            for (UUID id : disk.files.keySet()) {
                assertThat(model.containsKey(id) || inFlight.containsKey(id))
                        .as("unacknowledged file %s visible; run %s", id, run.raw()).isTrue();
            }
            for (var entry : Map.copyOf(model).entrySet()) {
                if (!inFlight.containsKey(entry.getKey())) {
                    assertThat(observed(disk, entry.getKey())).as("acknowledged state of %s", entry.getKey())
                            .isEqualTo(entry.getValue());
                }
            }
            for (Op op : inFlight.values()) {
                Expect before = model.get(op.id());
                Expect after = op.applyTo(before);
                Expect seen = observed(disk, op.id());
                assertThat(seen).as("in-flight %s is all or nothing", op).isIn(before, after);
                boolean applied = java.util.Objects.equals(seen, after) && !java.util.Objects.equals(before, after);
                if (inFlightCommitted != null) {
                    assertThat(applied).as("in-flight %s applied at this crash point", op).isEqualTo(inFlightCommitted);
                }
                if (applied) {
                    stats.inFlightApplied++;
                } else {
                    stats.inFlightNotApplied++;
                }
                if (seen == null) {
                    model.remove(op.id());
                } else {
                    model.put(op.id(), seen);
                }
                touched.add(op.id());
            }
            for (UUID id : touched) {
                FileMetadata m = disk.files.get(id);
                if (m != null) {
                    assertThat(DiskTruth.sha256(e.contentPath(m))).as("content of %s", id).isEqualTo(m.checksum());
                    assertThat(Files.size(e.contentPath(m))).isEqualTo(m.size());
                }
            }
        }
    }

    private static Expect observed(DiskTruth disk, UUID id) {
        FileMetadata m = disk.files.get(id);
        return m == null ? null : Expect.of(m);
    }
}
