package io.artsore.se.service.scrub;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What content verification found, per file: when it was last verified and which files do not match their
 * checksum. Kept in memory only: after a restart every file counts as never verified, so the scrubber starts
 * with them (oldest first) and re-finds any mismatch within one pass; nothing is lost that the disk does not
 * still show. Shared by the scrubber and on-demand full verification; reconciliation reports the mismatches.
 */
public final class ScrubLedger {
    /** A file whose content hashed to {@code actual} instead of {@code expected}. */
    public record Mismatch(String storagePath, String expected, String actual, Instant detectedAt) {
    }

    private final ConcurrentHashMap<UUID, Instant> lastVerified = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<UUID, Mismatch> mismatches = new ConcurrentHashMap<>();

    /**
     * Records the outcome of hashing a file; returns true when this is a mismatch that was not known yet.
     */
    public boolean record(UUID id, String storagePath, String expected, String actual, Instant at) {
        lastVerified.put(id, at);
        if (expected.equals(actual)) {
            mismatches.remove(id);
            return false;
        }
        return mismatches.put(id, new Mismatch(storagePath, expected, actual, at)) == null;
    }

    public Optional<Instant> lastVerified(UUID id) {
        return Optional.ofNullable(lastVerified.get(id));
    }

    public Optional<Mismatch> mismatch(UUID id) {
        return Optional.ofNullable(mismatches.get(id));
    }

    public int mismatchCount() {
        return mismatches.size();
    }

    /** Forgets files that no longer exist (purged), so the ledger does not grow forever. */
    public void retainOnly(Set<UUID> existing) {
        lastVerified.keySet().retainAll(existing);
        mismatches.keySet().retainAll(existing);
    }
}
