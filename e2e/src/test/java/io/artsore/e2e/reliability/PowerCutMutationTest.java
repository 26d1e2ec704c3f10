package io.artsore.e2e.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proof that the power-cut suite can fail (issue 18, item 3): the element skips one named fsync
 * ({@code -Dse.crashpoint.skipFsync=NAME}, read by {@code CrashPoints.skipsFsync}) and
 * {@link PowerCutUnderLoadTest#run} must report a failure within its default number of cuts. Prints one
 * {@code RELIABILITY power-cut-mutation} line per fsync: the table in docs/reliability.md.
 *
 * <p>Opt-in, it takes minutes: the default test run excludes it (e2e/pom.xml); run it by name with
 * {@code -Dtest=PowerCutMutationTest -Dse.powercut.mutations=all} or a comma-separated list of names.
 * A name prefixed {@code replicated:} (e.g. {@code replicated:sidecar}) is skipped by both replicas of
 * {@link PowerCutReplicatedTest} under its cuts.
 * {@code -Dse.powercut.mutations.expectDetected=false} reports without asserting.
 */
class PowerCutMutationTest {
    /** Every fsync with a name in storage-element (AtomicFiles, ContentSync, WriteAheadLog). */
    static final List<String> ALL = List.of("content", "sidecar", "sidecar-dir", "wal-record", "wal-record-dir",
            "wal-removal", "mkdir-parent", "delete-dir", "mode", "mode-dir");
    /** The fsyncs of mode.json, proven by {@link PowerCutModeTest}'s cuts instead of the load's. */
    private static final List<String> MODE = List.of("mode", "mode-dir");
    /** A name with this prefix ({@code replicated:sidecar}) runs {@link PowerCutReplicatedTest}'s cuts instead. */
    private static final String REPLICATED = "replicated:";

    @TempDir(cleanup = CleanupMode.ON_SUCCESS) // a failed run keeps its logs and trees
    Path root;

    @Test
    void everySkippedFsyncIsDetected() throws Exception {
        String wanted = System.getProperty("se.powercut.mutations", "");
        Assumptions.assumeFalse(wanted.isBlank(), "opt-in: -Dse.powercut.mutations=all");
        List<String> names = wanted.equals("all") ? ALL : Arrays.asList(wanted.split(","));
        List<String> undetected = new ArrayList<>();
        for (String name : names) {
            long started = System.nanoTime();
            Path dir = Files.createDirectories(root.resolve(name));
            List<String> failures;
            int cuts;
            if (name.startsWith(REPLICATED)) {
                PowerCutReplicatedTest.Outcome o = PowerCutReplicatedTest.run(dir, PowerCutReplicatedTest.CUTS,
                        name.substring(REPLICATED.length()), PowerCutUnderLoadTest.SEED);
                failures = o.log().failures();
                cuts = o.cuts();
            } else if (MODE.contains(name)) {
                PowerCutModeTest.Outcome o = PowerCutModeTest.run(dir, PowerCutModeTest.CUTS, name,
                        PowerCutUnderLoadTest.SEED);
                failures = o.failures();
                cuts = o.cuts();
            } else {
                PowerCutUnderLoadTest.Outcome o = PowerCutUnderLoadTest.run(dir, PowerCutUnderLoadTest.CUTS, name,
                        PowerCutUnderLoadTest.SEED, PowerCutUnderLoadTest.TEAR);
                failures = o.log().failures();
                cuts = o.cuts();
            }
            boolean detected = !failures.isEmpty();
            new Summary("power-cut-mutation").put("skipped_fsync", name).put("detected", detected)
                    .put("cuts", cuts).put("seed", PowerCutUnderLoadTest.SEED)
                    .put("seconds", (System.nanoTime() - started) / 1_000_000_000L)
                    .put("first_failure", detected ? oneLine(failures.get(0)) : "-").print();
            if (!detected) {
                undetected.add(name);
            }
        }
        if (!"false".equals(System.getProperty("se.powercut.mutations.expectDetected"))) {
            assertThat(undetected).as("skipped fsyncs the suite did not notice").isEmpty();
        }
    }

    private static String oneLine(String failure) {
        String line = failure.replace('\n', ' ');
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
