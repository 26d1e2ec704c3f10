package io.artsore.se.replica;

import io.artsore.se.logging.Events;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A follower's view of {@code .leader.info}. Liveness is judged by when this process last saw the heartbeat
 * value change, on its own monotonic clock, so clock skew between nodes cannot make a live leader look dead
 * (or the reverse).
 */
final class LeaderWatch {
    private static final Logger LOG = Logger.getLogger(LeaderWatch.class.getName());

    private final Path dataDir;
    private final long staleAfterNanos;
    private volatile LeaderInfo seen;
    private volatile long seenChangedAtNanos;

    LeaderWatch(Path dataDir, Duration staleAfter) {
        this.dataDir = dataDir;
        this.staleAfterNanos = staleAfter.toNanos();
    }

    void refresh() {
        try {
            Optional<LeaderInfo> now = LeaderInfo.read(dataDir);
            LeaderInfo previous = seen;
            if (now.isPresent() && !now.get().equals(previous)) {
                seen = now.get();
                seenChangedAtNanos = System.nanoTime();
                if (previous == null || previous.epoch() != now.get().epoch()) {
                    Events.log(LOG, Level.INFO, "leader_seen", "epoch", now.get().epoch(),
                            "address", now.get().address());
                }
            }
        } catch (IOException e) {
            // mid-replacement or unreadable for a moment: keep the last view; staleness decides
            Events.log(LOG, Level.FINE, "leader_info_unreadable", "reason", e.getMessage());
        }
    }

    /** The leader, unless its heartbeat has been still for longer than the stale limit. */
    Optional<LeaderInfo> liveLeader() {
        LeaderInfo s = seen;
        if (s == null || System.nanoTime() - seenChangedAtNanos > staleAfterNanos) {
            return Optional.empty();
        }
        return Optional.of(s);
    }

    Optional<LeaderInfo> lastSeen() {
        return Optional.ofNullable(seen);
    }
}
