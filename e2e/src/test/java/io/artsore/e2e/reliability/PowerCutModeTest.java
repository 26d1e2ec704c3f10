package io.artsore.e2e.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * mode.json across power cuts (issue 18): a client walks the permanent lifecycle back and forth
 * ({@code rw → ro → rw} with confirm, a short pause after each) on an element whose data dir is on the power-cut file system; at a random
 * moment the element is killed and the power cut. After the restart the mode must be the last acknowledged one
 * (or the target of the transition in flight), never the {@code SE_MODE} fallback of a lost mode.json.
 *
 * <p>{@code -Dse.powercut.modeCuts=N} (default 8).
 */
class PowerCutModeTest {
    static final int CUTS = Integer.getInteger("se.powercut.modeCuts", 8);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS) // a failed run keeps its logs and trees
    Path root;

    @Test
    void theLastAcknowledgedModeSurvivesPowerCuts() throws Exception {
        Assumptions.assumeTrue(PowerCutFs.enabled(), "-Dse.powercut=off");
        Outcome o = run(root, CUTS, null, PowerCutUnderLoadTest.SEED);
        new Summary("power-cut-mode").put("cuts", o.cuts()).put("acked_transitions", o.acked())
                .put("settled_cuts", o.settledCuts())
                .put("failures", o.failures().size()).print();
        assertThat(o.failures()).isEmpty();
        assertThat(o.cuts()).isEqualTo(CUTS);
        assertThat(o.acked()).as("transitions must really happen").isGreaterThan(CUTS);
    }

    /** {@code settledCuts}: cuts with no transition in flight, where exactly one mode is right. */
    record Outcome(int cuts, long acked, long settledCuts, List<String> failures) {
    }

    /** Up to {@code cuts} cycles, stopping at the first failure; {@code skipFsync} as in the load test. */
    static Outcome run(Path root, int cuts, String skipFsync, long seed) throws Exception {
        List<String> failures = new ArrayList<>();
        Random random = new Random(seed);
        long acked = 0;
        long settled = 0;
        int done = 0;
        try (TokenForge forge = new TokenForge(); PowerCutFs fs = PowerCutFs.mount(root);
             SeChild se = SeChild.onStorage(fs.root(), root.resolve("se.log"), forge, Map.of("SE_MODE", "rw"))) {
            if (skipFsync != null) {
                se.jvmArg("-Dse.crashpoint.skipFsync=" + skipFsync);
            }
            SeClient client = new SeClient(se.url(), Duration.ofSeconds(20));
            se.start();
            String acknowledged = "rw";
            for (int cut = 0; cut < cuts && failures.isEmpty(); cut++) {
                String admin = forge.token("powercut-admin", "files:read", "storage:write"); // they live an hour
                String[] state = {acknowledged, null}; // last acknowledged, in flight
                AtomicBoolean stop = new AtomicBoolean();
                ExecutorService pool = Executors.newSingleThreadExecutor();
                Future<Long> walker = pool.submit(() -> walk(client, admin, state, stop, failures));
                Thread.sleep(200 + random.nextInt(1500));
                se.kill();
                fs.cut();
                stop.set(true);
                acked += walker.get(2, TimeUnit.MINUTES);
                pool.shutdown();
                acknowledged = state[0];
                settled += state[1] == null ? 1 : 0;
                try {
                    se.start();
                } catch (IllegalStateException e) {
                    failures.add("element does not start after the cut: " + e.getMessage());
                    done++;
                    break;
                }
                String mode = SeClient.json(client.get("/api/v1/info", null)).get("mode").asText();
                if (!mode.equals(acknowledged) && !mode.equals(state[1])) {
                    failures.add("mode after the cut is " + mode + ", last acknowledged " + acknowledged
                            + (state[1] == null ? "" : ", in flight " + state[1]));
                }
                acknowledged = mode;
                done++;
            }
        }
        return new Outcome(done, acked, settled, failures);
    }

    /** Transitions rw → ro → rw … until the element dies; state[0] the last acknowledged, state[1] in flight. */
    private static long walk(SeClient client, String token, String[] state, AtomicBoolean stop,
                             List<String> failures) throws InterruptedException {
        long acked = 0;
        while (!stop.get()) {
            String target = state[0].equals("rw") ? "ro" : "rw";
            byte[] body = ("{\"target_mode\":\"" + target + "\",\"confirm\":true}").getBytes(StandardCharsets.UTF_8);
            state[1] = target;
            HttpResponse<byte[]> r;
            try {
                r = client.send("POST", "/api/v1/mode/transition", token, "application/json", body);
            } catch (IOException e) {
                return acked; // the element died: the outcome is checked after the restart
            }
            if (r.statusCode() != 200) {
                failures.add("transition to " + target + " answered " + r.statusCode() + ": " + SeClient.text(r));
                return acked;
            }
            state[0] = target;
            state[1] = null;
            acked++;
            // a pause with nothing in flight, so most cuts land where only one mode is right
            Thread.sleep(ThreadLocalRandom.current().nextInt(100, 400));
        }
        return acked;
    }
}
