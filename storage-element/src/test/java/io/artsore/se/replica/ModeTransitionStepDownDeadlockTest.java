package io.artsore.se.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.artsore.se.config.ConfigLoader;
import io.artsore.se.config.SeConfig;
import io.artsore.se.domain.ErrorCode;
import io.artsore.se.domain.Mode;
import io.artsore.se.domain.SeException;
import io.artsore.se.service.LeaderOnlyWork;
import io.artsore.se.service.PendingUpload;
import io.artsore.se.service.StorageEngine;
import io.artsore.se.service.WriteFence;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Security review M1: a mode transition, an upload commit and a step-down must not deadlock, whatever the
 * interleaving. The test drives the interleaving that deadlocked with the old lock order (transition: fence, then
 * mode lock; commit: mode lock, then fence; step-down queued for the fence in between) through latches in a
 * wrapping fence, and fails if any of the three threads is still parked after a bounded wait.
 */
class ModeTransitionStepDownDeadlockTest {
    private static final long BOUND_SECONDS = 20;

    @TempDir
    Path root;

    private ReplicaCoordinator coordinator;

    /** Holds an upload commit just before the fence and a transition just inside it, until released. */
    static final class LatchedFence implements WriteFence {
        final WriteFence inner;
        final CountDownLatch commitAtFence = new CountDownLatch(1);
        final CountDownLatch releaseCommit = new CountDownLatch(1);
        final CountDownLatch transitionInsideFence = new CountDownLatch(1);
        final CountDownLatch releaseTransition = new CountDownLatch(1);
        volatile boolean armed;

        LatchedFence(WriteFence inner) {
            this.inner = inner;
        }

        @Override
        public <T> T guard(UUID fileId, Step<T> step) throws IOException {
            if (!armed) {
                return inner.guard(fileId, step);
            }
            if (fileId != null) {
                commitAtFence.countDown(); // the upload holds the mode lock's shared side here
                awaitLatch(releaseCommit);
                return inner.guard(fileId, step);
            }
            return inner.guard(null, () -> {
                transitionInsideFence.countDown();
                awaitLatch(releaseTransition);
                return step.run();
            });
        }

        private static void awaitLatch(CountDownLatch latch) throws IOException {
            try {
                if (!latch.await(BOUND_SECONDS, TimeUnit.SECONDS)) {
                    throw new IOException("test latch never opened");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
    }

    @AfterEach
    void close() throws Exception {
        if (coordinator != null) {
            coordinator.close();
        }
    }

    @Test
    void aTransitionACommitAndAQueuedStepDownAllFinish() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("SE_STORAGE_ID", "se-test");
        env.put("SE_DATA_DIR", root.resolve("data").toString());
        env.put("SE_WAL_DIR", root.resolve("wal").toString());
        env.put("SE_MAX_CAPACITY", String.valueOf(1L << 30));
        env.put("SE_JWKS_URL", "http://127.0.0.1:1/jwks");
        env.put("SE_DEV_INSECURE_HTTP", "true");
        env.put("SE_REPLICA_MODE", "replicated");
        env.put("SE_MODE", "rw");
        // one election at start, no heartbeat during the test: the step-down below is the only one
        env.put("SE_ELECTION_RETRY_INTERVAL", "1h");
        env.put("SE_LEADER_HEARTBEAT_INTERVAL", "1h");
        env.put("SE_ADVERTISED_ADDRESS", "a:1");
        SeConfig config = ConfigLoader.load(env);
        Files.createDirectories(config.dataDir());
        coordinator = ReplicaCoordinator.open(config, Clock.systemUTC());
        LatchedFence fence = new LatchedFence(coordinator);
        StorageEngine engine = StorageEngine.open(config, Clock.systemUTC(), fence);
        coordinator.start(engine, LeaderOnlyWork.NONE, 1);
        await().atMost(Duration.ofSeconds(BOUND_SECONDS)).until(coordinator::isLeader);
        fence.armed = true;

        AtomicReference<Throwable> commitOutcome = new AtomicReference<>();
        Thread commit = daemon("commit", () -> {
            try (PendingUpload u = engine.beginUpload("alice", -1)) {
                u.writeContent("f.txt", "text/plain", new ByteArrayInputStream("x".getBytes(StandardCharsets.UTF_8)));
                u.commit(null, null, null);
            }
        }, commitOutcome);
        commit.start();
        assertThat(fence.commitAtFence.await(BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();

        AtomicReference<Throwable> transitionOutcome = new AtomicReference<>();
        Thread transition = daemon("transition", () -> engine.transition(Mode.RO, false, "admin"), transitionOutcome);
        transition.start();
        // old order: inside the fence, before the mode lock; fixed order: parked on the mode lock
        awaitStopped(transition, fence.transitionInsideFence);

        Thread stepDown = daemon("step-down", () -> coordinator.stepDown("test"), new AtomicReference<>());
        stepDown.start();
        awaitStopped(stepDown, null); // queued for the fence's exclusive side, or done

        fence.releaseCommit.countDown();
        awaitStopped(commit, null); // a new reader of the fence waits behind the queued step-down, or is refused
        fence.releaseTransition.countDown();

        for (Thread t : new Thread[] {commit, transition, stepDown}) {
            t.join(TimeUnit.SECONDS.toMillis(BOUND_SECONDS));
            assertThat(t.isAlive()).as("%s still parked: deadlock", t.getName()).isFalse();
        }
        // the step-down came first: both writes are refused, none is half-done
        assertThat(commitOutcome.get()).isInstanceOfSatisfying(SeException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.LEADER_UNAVAILABLE));
        assertThat(transitionOutcome.get()).isInstanceOfSatisfying(SeException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.LEADER_UNAVAILABLE));
        assertThat(engine.mode()).isEqualTo(Mode.RW);
        assertThat(engine.stats().total()).isZero();
    }

    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }

    private static Thread daemon(String name, Body body, AtomicReference<Throwable> outcome) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                outcome.set(e);
            }
        }, name);
        t.setDaemon(true);
        return t;
    }

    /**
     * Waits until {@code t} has gone as far as it can: finished, parked on a read/write lock, or past
     * {@code reached}. Polling the thread's state is the only way to see that a lock acquisition is queued.
     */
    private static void awaitStopped(Thread t, CountDownLatch reached) {
        await().atMost(Duration.ofSeconds(BOUND_SECONDS)).pollInterval(Duration.ofMillis(1)).until(() ->
                (reached != null && reached.getCount() == 0)
                        || t.getState() == Thread.State.TERMINATED
                        || t.getState() == Thread.State.WAITING && parkedOnReadWriteLock(t));
    }

    private static boolean parkedOnReadWriteLock(Thread t) {
        Object blocker = LockSupport.getBlocker(t);
        return blocker != null && blocker.getClass().getEnclosingClass() == ReentrantReadWriteLock.class;
    }
}
