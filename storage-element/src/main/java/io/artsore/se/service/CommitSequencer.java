package io.artsore.se.service;

import io.artsore.se.logging.Events;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Gives upload commits strictly increasing {@code uploaded_at} values and publishes them to the index in that
 * order. Listing is ordered by (uploaded_at, file_id), so a new file can then only appear after every file a
 * paging client has already seen: paging with {@code offset += items} never skips a file.
 *
 * <p>The lead over this element's clock is capped at {@link #MAX_LEAD}: a forward clock step that was taken
 * back, or a planted future-dated attr.json, would otherwise future-date every later file (and its
 * {@code expires_at}) for as long as the gap lasts, across restarts. Past the cap the sequence restarts at the
 * clock, which gives up the ordering promise once, for files committed around the anomaly, and says so in a
 * {@code commit_clock_lead_capped} event.
 */
final class CommitSequencer {
    /** Far above NTP slew and replica clock differences, far below a TTL day. */
    static final Duration MAX_LEAD = Duration.ofMinutes(1);
    private static final Logger LOG = Logger.getLogger(CommitSequencer.class.getName());

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
        if (now.isAfter(last)) {
            last = now;
        } else if (Duration.between(now, last).compareTo(MAX_LEAD) >= 0) {
            Events.log(LOG, Level.WARNING, "commit_clock_lead_capped", "operation", "upload",
                    "latest_uploaded_at", last, "clock", now, "outcome", "uploaded_at_from_clock");
            last = now;
        } else {
            last = last.plusNanos(1);
        }
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
