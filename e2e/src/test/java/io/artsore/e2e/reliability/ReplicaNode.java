package io.artsore.e2e.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** One replica process of a local replicated element, with a client that talks to it directly. */
record ReplicaNode(String name, SeChild process, SeClient client) {

    /** The one live replica that reports {@code role: leader} (and is not {@code previous}). */
    static ReplicaNode awaitSoleLeader(List<ReplicaNode> nodes, ReplicaNode previous, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<ReplicaNode> leaders = new ArrayList<>();
            for (ReplicaNode n : nodes) {
                if (n != previous && "leader".equals(n.role())) {
                    leaders.add(n);
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

    String role() {
        try {
            var r = client.get("/api/v1/info", null);
            return r.statusCode() == 200 ? SeClient.json(r).path("role").asText() : "down";
        } catch (Exception e) {
            return "down";
        }
    }
}
