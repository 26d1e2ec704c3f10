package io.artsore.se.storage.index;

/**
 * What a build made of the index checkpoint: {@code absent} (none was found, or none was asked for),
 * {@code rejected} (damaged or not this element's; {@code reason} says why; the index was built in full) or
 * {@code used} (the entries of {@code dirsTrusted} directories were taken from it, {@code dirsRescanned} were
 * read again because they changed, {@code dirsGone} no longer exist).
 */
public record CheckpointOutcome(String status, String reason, int dirsTrusted, int dirsRescanned, int dirsGone,
                                long entriesFromCheckpoint) {
    public static final CheckpointOutcome ABSENT = new CheckpointOutcome("absent", "", 0, 0, 0, 0);

    static CheckpointOutcome rejected(String reason) {
        return new CheckpointOutcome("rejected", reason, 0, 0, 0, 0);
    }
}
