package io.artsore.se.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.artsore.se.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code uploaded_at} never goes back, but never runs ahead of the clock by more than the cap (review L5). */
class CommitSequencerTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final Logger LOG = Logger.getLogger(CommitSequencer.class.getName());

    private final MutableClock clock = new MutableClock(NOW);
    private final List<LogRecord> events = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            events.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureEvents() {
        LOG.addHandler(capture);
    }

    @AfterEach
    void releaseEvents() {
        LOG.removeHandler(capture);
    }

    @Test
    void aSmallBackwardStepKeepsTheOrderStrictlyIncreasing() {
        CommitSequencer sequencer = new CommitSequencer(clock, null);
        Instant first = sequencer.next().uploadedAt();
        clock.advance(Duration.ofSeconds(-30));
        assertThat(sequencer.next().uploadedAt()).isEqualTo(first.plusNanos(1));
        assertThat(sequencer.next().uploadedAt()).isEqualTo(first.plusNanos(2));
        assertThat(events).isEmpty();
    }

    @Test
    void aPlantedFutureDatedFileDoesNotFutureDateLaterUploads() {
        CommitSequencer sequencer = new CommitSequencer(clock, NOW.plus(Duration.ofDays(3650)));
        assertThat(sequencer.next().uploadedAt()).isEqualTo(NOW);
        assertThat(sequencer.next().uploadedAt()).as("strictly increasing again from the clock")
                .isEqualTo(NOW.plusNanos(1));
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.getMessage()).isEqualTo("commit_clock_lead_capped");
            assertThat(e.getParameters()[0].toString()).contains("latest_uploaded_at=2036-", "clock=" + NOW);
        });
    }

    @Test
    void aForwardClockStepTakenBackFutureDatesAtMostTheCap() {
        CommitSequencer sequencer = new CommitSequencer(clock, null);
        clock.advance(Duration.ofDays(1));
        sequencer.next();
        clock.set(NOW); // NTP corrects the step
        assertThat(sequencer.next().uploadedAt()).isEqualTo(NOW);

        Instant justUnder = NOW.plus(CommitSequencer.MAX_LEAD).minusNanos(1);
        CommitSequencer near = new CommitSequencer(clock, justUnder);
        assertThat(near.next().uploadedAt()).as("a lead under the cap is kept").isEqualTo(justUnder.plusNanos(1));
    }

    @Test
    void aFileDatedAtTheEndOfTimeIsNoOverflow() {
        CommitSequencer sequencer = new CommitSequencer(clock, Instant.MAX);
        assertThat(sequencer.next().uploadedAt()).isEqualTo(NOW);
        sequencer.observe(Instant.MAX); // another replica's file
        clock.advance(Duration.ofSeconds(1));
        assertThat(sequencer.next().uploadedAt()).isEqualTo(NOW.plusSeconds(1));
    }
}
