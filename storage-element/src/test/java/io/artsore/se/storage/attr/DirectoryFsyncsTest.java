package io.artsore.se.storage.attr;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DirectoryFsyncsTest {
    private static final Path DIR = Path.of("/wal").toAbsolutePath();

    /** A force that blocks until the test says how it ends, and records each start. */
    static final class GatedForce implements DirectoryFsyncs.Force {
        final List<Path> forced = Collections.synchronizedList(new ArrayList<>());
        final Semaphore started = new Semaphore(0);
        final BlockingQueue<Optional<IOException>> outcomes = new LinkedBlockingQueue<>();

        @Override
        public void force(Path dir) throws IOException {
            forced.add(dir);
            started.release();
            Optional<IOException> outcome;
            try {
                outcome = outcomes.take();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            if (outcome.isPresent()) {
                throw outcome.get();
            }
        }

        void succeedNext() {
            outcomes.add(Optional.empty());
        }

        void failNext() {
            outcomes.add(Optional.of(new IOException("EIO")));
        }
    }

    private final GatedForce force = new GatedForce();
    private final DirectoryFsyncs fsyncs = new DirectoryFsyncs(force);

    /** A caller on its own platform thread, so the test can see it parked. */
    private record Caller(Thread thread, CompletableFuture<Void> done) {
    }

    private Caller call(Path dir) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                fsyncs.sync(dir);
                done.complete(null);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        });
        return new Caller(t, done);
    }

    /** Deadlock guards only: the minute is never the point of a test. */
    private static void awaitParked(Caller c) throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (c.thread().getState() != Thread.State.WAITING) {
            assertThat(System.nanoTime()).as("caller parks").isLessThan(giveUp);
            Thread.sleep(1);
        }
    }

    private void awaitForceStart() throws InterruptedException {
        assertThat(force.started.tryAcquire(1, TimeUnit.MINUTES)).as("a force starts").isTrue();
    }

    @Test
    void callerArrivingDuringAForceWaitsForAForceThatStartsAfterIt() throws Exception {
        Caller first = call(DIR);
        awaitForceStart();
        Caller second = call(DIR);
        awaitParked(second);

        force.succeedNext(); // the force that was running when `second` arrived may have missed its change
        first.done().get();
        awaitForceStart(); // so a second force must start before `second` may return
        assertThat(second.done()).isNotDone();
        force.succeedNext();
        second.done().get();
        assertThat(force.forced).containsExactly(DIR, DIR);
    }

    @Test
    void callersWaitingTogetherShareOneForce() throws Exception {
        Caller first = call(DIR);
        awaitForceStart();
        List<Caller> group = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Caller c = call(DIR);
            awaitParked(c);
            group.add(c);
        }
        force.succeedNext();
        first.done().get();
        awaitForceStart();
        force.succeedNext();
        for (Caller c : group) {
            c.done().get();
        }
        assertThat(force.forced).as("one force for the first caller, one for the group of five").hasSize(2);
    }

    @Test
    void aFailedForceFailsEveryCallerItServedAndTheNextCallForcesAgain() throws Exception {
        Caller first = call(DIR);
        awaitForceStart();
        List<Caller> group = List.of(call(DIR), call(DIR));
        for (Caller c : group) {
            awaitParked(c);
        }
        force.succeedNext();
        first.done().get();
        awaitForceStart();
        force.failNext();
        for (Caller c : group) {
            assertThat(c.done()).failsWithin(java.time.Duration.ofMinutes(1))
                    .withThrowableOfType(ExecutionException.class).withCauseInstanceOf(IOException.class);
        }
        Caller later = call(DIR);
        awaitForceStart();
        force.succeedNext();
        later.done().get();
        assertThat(force.forced).hasSize(3);
    }

    @Test
    void differentDirectoriesAreForcedIndependently() throws Exception {
        Caller wal = call(DIR);
        awaitForceStart();
        Caller shard = call(Path.of("/data/ab").toAbsolutePath());
        awaitForceStart(); // starts although the WAL dir's force is still running
        force.succeedNext();
        force.succeedNext();
        wal.done().get();
        shard.done().get();
        assertThat(force.forced).containsExactlyInAnyOrder(DIR, Path.of("/data/ab").toAbsolutePath());
    }

    @Test
    void aLoneCallerForcesAtOnce() throws Exception {
        force.succeedNext();
        fsyncs.sync(DIR);
        force.succeedNext();
        fsyncs.sync(DIR);
        assertThat(force.forced).containsExactly(DIR, DIR);
    }
}
