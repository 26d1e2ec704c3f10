package io.artsore.se.service;

/**
 * Work that only the leader (or a standalone element) may do: GC, scheduled reconciliation, scrubbing.
 * Replication starts it on promotion and stops it on step-down; a standalone element starts it once.
 * Both calls are idempotent.
 */
public interface LeaderOnlyWork extends AutoCloseable {
    void startLeading();

    void stopLeading();

    @Override
    default void close() {
        stopLeading();
    }

    LeaderOnlyWork NONE = new LeaderOnlyWork() {
        @Override
        public void startLeading() {
        }

        @Override
        public void stopLeading() {
        }
    };
}
