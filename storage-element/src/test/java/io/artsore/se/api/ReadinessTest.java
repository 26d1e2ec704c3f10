package io.artsore.se.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.artsore.se.api.auth.JwksHealth;
import io.artsore.se.domain.Mode;
import io.artsore.se.replica.ReplicaStatus;
import io.artsore.se.storage.filestore.DiskSpace;
import io.artsore.se.storage.wal.WalQuarantine;
import io.artsore.se.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code wal} check: full volume → degraded (200) with a message; missing dir → fail; not needed in ro/ar. */
class ReadinessTest {
    private static final JwksHealth KEYS = new JwksHealth(Optional.of(Instant.EPOCH), Optional.empty(),
            Optional.empty(), 1, Duration.ZERO);

    @TempDir
    Path root;

    private Readiness readiness(Path wal, Mode mode, long walFreeBytes) throws Exception {
        Path data = Files.createDirectories(root.resolve("data"));
        DiskSpace space = p -> p.equals(wal) ? walFreeBytes : Long.MAX_VALUE;
        return new Readiness(data, wal, () -> mode, ReplicaStatus.STANDALONE, () -> KEYS, space, Optional::empty,
                Clock.systemUTC());
    }

    @Test
    void aWalVolumeWithRoomIsOk() throws Exception {
        Path wal = Files.createDirectories(root.resolve("wal"));
        Readiness.Result r = readiness(wal, Mode.EDIT, Readiness.MIN_WAL_FREE_BYTES).evaluate();
        assertThat(r.status()).isEqualTo("ok");
        assertThat(r.checks().get("wal").status()).isEqualTo("ok");
    }

    @Test
    void aFullWalVolumeIsDegradedWithAMessage() throws Exception {
        Path wal = Files.createDirectories(root.resolve("wal"));
        Readiness.Result r = readiness(wal, Mode.EDIT, Readiness.MIN_WAL_FREE_BYTES - 1).evaluate();
        assertThat(r.status()).isEqualTo("degraded");
        assertThat(r.checks().get("wal")).isEqualTo(new Readiness.Check("degraded",
                "WAL volume full: uploads are refused (507) until space is freed"));
    }

    @Test
    void aFullWalVolumeDoesNotMatterWhenTheModeAllowsNoWrites() throws Exception {
        Path wal = Files.createDirectories(root.resolve("wal"));
        assertThat(readiness(wal, Mode.RO, 0).evaluate().checks().get("wal").status()).isEqualTo("ok");
    }

    @Test
    void aMissingWalDirStillFails() throws Exception {
        Readiness.Result r = readiness(root.resolve("no-wal"), Mode.EDIT, 0).evaluate();
        assertThat(r.status()).isEqualTo("fail");
        assertThat(r.checks().get("wal").status()).isEqualTo("fail");
    }

    /** Security review L6: the element serves, but an operator has to look at what recovery could not read. */
    @Test
    void aQuarantinedWalRecordIsDegradedInEveryModeUntilRemoved() throws Exception {
        Path wal = Files.createDirectories(root.resolve("wal"));
        Path record = Files.createDirectories(WalQuarantine.in(wal).directory()).resolve("t.wal.json");
        Files.writeString(record, "{\"torn");
        for (Mode mode : new Mode[] {Mode.EDIT, Mode.RO}) {
            Readiness.Result r = readiness(wal, mode, Long.MAX_VALUE).evaluate();
            assertThat(r.status()).as(mode.wireName()).isEqualTo("degraded");
            assertThat(r.checks().get("wal").message()).contains("quarantine");
        }
        Files.delete(record);
        assertThat(readiness(wal, Mode.EDIT, Long.MAX_VALUE).evaluate().status()).isEqualTo("ok");
    }

    /** /api/v1/info asks on every call: one evaluation (a few stat calls) serves a second of them. */
    @Test
    void aRecentResultIsReusedForASecondThenEvaluatedAgainAndTheProbeAlwaysEvaluates() throws Exception {
        Path wal = Files.createDirectories(root.resolve("wal"));
        Path data = Files.createDirectories(root.resolve("data"));
        AtomicInteger statCalls = new AtomicInteger();
        DiskSpace counting = p -> {
            statCalls.incrementAndGet();
            return Long.MAX_VALUE;
        };
        MutableClock clock = new MutableClock(Instant.parse("2026-03-08T10:00:00Z"));
        Readiness readiness = new Readiness(data, wal, () -> Mode.EDIT, ReplicaStatus.STANDALONE, () -> KEYS,
                counting, Optional::empty, clock);
        readiness.recent();
        clock.advance(Duration.ofMillis(Readiness.REUSE_MILLIS - 1));
        readiness.recent();
        assertThat(statCalls).hasValue(1);
        clock.advance(Duration.ofMillis(1));
        readiness.recent();
        assertThat(statCalls).hasValue(2);
        readiness.evaluate();
        assertThat(statCalls).as("the probe").hasValue(3);
    }

    @Test
    void messagesNameNoAddressOrCount() throws Exception {
        Readiness.Result r = readiness(Files.createDirectories(root.resolve("wal")), Mode.EDIT, Long.MAX_VALUE)
                .evaluate();
        assertThat(r.checks().values()).extracting(Readiness.Check::message).noneMatch(m -> m.matches(".*\\d.*"));
    }
}
