package io.artsore.se.service;

import java.time.Clock;
import java.time.Instant;

/**
 * Gives upload commits strictly increasing {@code uploaded_at} values and publishes them to the index in that
 * order. Listing is ordered by (uploaded_at, file_id), so a new file can then only appear after every file a
 * paging client has already seen: paging with {@code offset += items} never skips a file.
 */
final class CommitSequencer {
    private final Clock clock;
    private Instant last;
    private long issued;
    private long nextToPublish;

    CommitSequencer(Clock clock, Instant latestExisting) {
        this.clock = clock;
        this.last = latestExisting == null ? Instant.EPOCH : latestExisting;
    }

    record Ticket(long sequence, Instant uploadedAt) {
    }

    synchronized Ticket next() {
        Instant now = clock.instant();
        last = now.isAfter(last) ? now : last.plusNanos(1);
        return new Ticket(issued++, last);
    }

    /** Files written by another replica: the next ticket sorts after {@code uploadedAt}. */
    synchronized void observe(Instant uploadedAt) {
        if (uploadedAt.isAfter(last)) {
            last = uploadedAt;
        }
    }

    /** Runs {@code publish} once every earlier ticket has been published or cancelled. */
    synchronized void publish(Ticket t, Runnable publish) {
        boolean interrupted = false;
        while (nextToPublish != t.sequence()) {
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true; // a ticket must always be settled, or every later commit would hang
            }
        }
        try {
            publish.run();
        } finally {
            nextToPublish++;
            notifyAll();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    void cancel(Ticket t) {
        publish(t, () -> { });
    }
}
