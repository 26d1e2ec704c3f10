package io.artsore.se.replica;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Security review L7: a deposed leader's last heartbeat and a new leader's promotion may rewrite
 * {@code .leader.info} at the same moment from two processes. Each write must land whole: no failed rename, and
 * a reader only ever sees one writer's complete content.
 */
class LeaderInfoConcurrentWritersTest {
    private static final long RUN_MILLIS = 1500;

    @TempDir
    Path dataDir;

    @Test
    void twoProcessesRewritingLeaderInfoNeverMixOrLoseAWrite() throws Exception {
        LeaderInfo mine = new LeaderInfo("10.0.0.1:8443", 7, 1, 1);
        LeaderInfo theirs = new LeaderInfo("10.0.0.2:8443", 8, 1, 1);
        mine.write(dataDir);
        Process other = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LeaderInfoWriter.class.getName(), dataDir.toString(),
                theirs.address(), Long.toString(theirs.epoch()), Long.toString(RUN_MILLIS)))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        int failedWrites = 0;
        int badReads = 0;
        Set<LeaderInfo> allowed = Set.of(mine, theirs);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RUN_MILLIS);
        while (System.nanoTime() < deadline) {
            try {
                mine.write(dataDir);
            } catch (IOException e) {
                failedWrites++;
            }
            try {
                Optional<LeaderInfo> read = LeaderInfo.read(dataDir);
                if (read.isEmpty() || !allowed.contains(read.get())) {
                    badReads++;
                }
            } catch (IOException e) {
                badReads++;
            }
        }
        assertThat(other.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(other.exitValue()).as("failed writes in the other process").isZero();
        assertThat(failedWrites).as("failed writes here").isZero();
        assertThat(badReads).as("reads of mixed or missing content").isZero();
    }
}
