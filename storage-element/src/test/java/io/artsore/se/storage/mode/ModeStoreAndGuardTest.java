package io.artsore.se.storage.mode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.artsore.se.domain.ErrorCode;
import io.artsore.se.domain.Mode;
import io.artsore.se.domain.Operation;
import io.artsore.se.domain.SeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModeStoreAndGuardTest {
    @TempDir
    Path dir;
    final Clock clock = Clock.fixed(Instant.parse("2026-02-21T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void noFileMeansNothingPersisted() throws IOException {
        assertThat(new ModeStore(dir).load()).isEmpty();
    }

    @Test
    void saveThenLoadRoundTrips() throws IOException {
        ModeStore store = new ModeStore(dir);
        store.save(new PersistedMode(Mode.RO, clock.instant(), "admin"));
        assertThat(store.load()).contains(new PersistedMode(Mode.RO, clock.instant(), "admin"));
        assertThat(Files.readString(dir.resolve("mode.json"))).contains("\"mode\" : \"ro\"", "\"updated_by\" : \"admin\"",
                "\"updated_at\" : \"2026-02-21T10:00:00Z\"");
    }

    @Test
    void corruptFileIsAnErrorNotAFallback() throws IOException {
        for (String bad : new String[] {"", "{", "[]", "{\"mode\":\"archive\"}", "{\"mode\":1}",
                "{\"mode\":\"ar\",\"updated_at\":\"yesterday\"}"}) {
            Files.writeString(dir.resolve("mode.json"), bad);
            assertThatThrownBy(() -> new ModeStore(dir).load()).as(bad).isInstanceOf(ModeStoreException.class);
        }
    }

    @Test
    void transitionPersistsBeforeSwitching() throws IOException {
        ModeStore store = new ModeStore(dir);
        ModeGuard guard = new ModeGuard(Mode.RW, store, clock);
        ModeChange change = guard.transition(Mode.RO, false, "admin");
        assertThat(change).isEqualTo(new ModeChange(Mode.RW, Mode.RO, clock.instant()));
        assertThat(guard.current()).isEqualTo(Mode.RO);
        assertThat(store.load().orElseThrow().mode()).isEqualTo(Mode.RO);
    }

    @Test
    void forbiddenTransitionsAreRefusedWithTheirCodes() {
        ModeGuard guard = new ModeGuard(Mode.RO, new ModeStore(dir), clock);
        assertThatThrownBy(() -> guard.transition(Mode.RW, false, "a"))
                .satisfies(e -> assertThat(((SeException) e).code()).isEqualTo(ErrorCode.CONFIRMATION_REQUIRED));
        assertThatThrownBy(() -> guard.transition(Mode.EDIT, true, "a"))
                .satisfies(e -> assertThat(((SeException) e).code()).isEqualTo(ErrorCode.INVALID_TRANSITION));
        assertThat(guard.current()).isEqualTo(Mode.RO);
        assertThat(guard.transition(Mode.RW, true, "a").currentMode()).isEqualTo(Mode.RW);
    }

    @Test
    void persistenceFailureLeavesTheModeUnchanged() throws IOException {
        Path missing = dir.resolve("gone");
        ModeGuard guard = new ModeGuard(Mode.RW, new ModeStore(missing), clock);
        assertThatThrownBy(() -> guard.transition(Mode.RO, false, "a"))
                .satisfies(e -> assertThat(((SeException) e).code()).isEqualTo(ErrorCode.INTERNAL_ERROR));
        assertThat(guard.current()).isEqualTo(Mode.RW);
    }

    @Test
    void writeCommitsInTheOldModeFinishBeforeTheTransitionAndLaterOnesAreRefused() throws Exception {
        ModeGuard guard = new ModeGuard(Mode.RW, new ModeStore(dir), clock);
        CountDownLatch inCommit = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Mode> write = pool.submit(() -> guard.commit(Operation.UPLOAD, () -> {
                inCommit.countDown();
                awaitUninterruptibly(release);
                return guard.current();
            }));
            inCommit.await();
            Future<ModeChange> transition = pool.submit(() -> guard.transition(Mode.RO, false, "a"));
            Thread.sleep(50); // give the transition a chance to (wrongly) pass the running commit
            assertThat(transition).isNotDone();
            release.countDown();
            assertThat(write.get(10, TimeUnit.SECONDS)).isEqualTo(Mode.RW);
            assertThat(transition.get(10, TimeUnit.SECONDS).currentMode()).isEqualTo(Mode.RO);
            assertThatThrownBy(() -> guard.commit(Operation.UPLOAD, () -> null))
                    .satisfies(e -> assertThat(((SeException) e).code()).isEqualTo(ErrorCode.MODE_NOT_ALLOWED));
        } finally {
            pool.shutdownNow();
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
