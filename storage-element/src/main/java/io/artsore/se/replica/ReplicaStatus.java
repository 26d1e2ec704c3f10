package io.artsore.se.replica;

import java.util.Optional;

/** What this process knows about its place in a (possibly) replicated element. */
public interface ReplicaStatus {
    String replicaMode();

    /** standalone, leader or follower. */
    String role();

    /** host:port of the current leader, when known. */
    Optional<String> leaderAddress();

    /** Standalone elements are always their own leader. */
    default boolean canWrite() {
        return !"follower".equals(role());
    }

    ReplicaStatus STANDALONE = new ReplicaStatus() {
        @Override
        public String replicaMode() {
            return "standalone";
        }

        @Override
        public String role() {
            return "standalone";
        }

        @Override
        public Optional<String> leaderAddress() {
            return Optional.empty();
        }
    };
}
