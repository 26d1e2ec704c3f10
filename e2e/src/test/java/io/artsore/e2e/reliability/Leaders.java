package io.artsore.e2e.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Which replica of a replicated element leads, as its {@code /api/v1/info} {@code role} says. */
final class Leaders {
    private Leaders() {
    }

    /**
     * The index in {@code replicas} of the one live replica that reports {@code role: leader}, ignoring
     * {@code excluded} (a killed leader, or -1 for none); fails when there is not exactly one within
     * {@code timeout}.
     */
    static int awaitSole(List<SeClient> replicas, int excluded, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Integer> leaders = new ArrayList<>();
            for (int i = 0; i < replicas.size(); i++) {
                if (i != excluded && "leader".equals(role(replicas.get(i)))) {
                    leaders.add(i);
                }
            }
            if (leaders.size() == 1) {
                return leaders.get(0);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no single leader after " + timeout + ": " + leaders.size() + " leaders");
            }
            Thread.sleep(20);
        }
    }

    /** {@code leader}, {@code follower}, or {@code down} when the replica does not answer 200. */
    static String role(SeClient replica) {
        try {
            var r = replica.get("/api/v1/info", null);
            return r.statusCode() == 200 ? SeClient.json(r).path("role").asText() : "down";
        } catch (Exception e) {
            return "down";
        }
    }
}
