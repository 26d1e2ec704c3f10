package io.artsore.se.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.artsore.se.domain.ErrorCode;
import io.artsore.se.domain.SeException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BufferBudgetTest {
    private static final int KIB = 1024;

    @Test
    void reservationsAreAccountedInWholeKibAndGivenBackOnceOnClose() throws Exception {
        BufferBudget budget = new BufferBudget(8 * KIB, Duration.ZERO);
        BufferBudget.Lease a = budget.reserve(KIB + 1); // rounds up to 2 KiB
        BufferBudget.Lease b = budget.reserve(1);
        assertThat(budget.availableBytes()).isEqualTo(5 * KIB);
        a.close();
        a.close(); // a second close gives nothing back twice
        assertThat(budget.availableBytes()).isEqualTo(7 * KIB);
        b.close();
        assertThat(budget.availableBytes()).isEqualTo(budget.totalBytes());
    }

    @Test
    void anExhaustedBudgetRefusesWithServerBusyOnceTheWaitRunsOut() throws Exception {
        BufferBudget budget = new BufferBudget(4 * KIB, Duration.ZERO);
        try (BufferBudget.Lease all = budget.reserve(4 * KIB)) {
            assertThatThrownBy(() -> budget.reserve(KIB)).isInstanceOfSatisfying(SeException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.SERVER_BUSY));
            assertThat(budget.tryReserve(KIB)).isEmpty();
        }
        assertThat(budget.tryReserve(KIB)).isPresent();
    }

    @Test
    void aWaitingReservationGetsTheBytesAnotherOneGivesBack() throws Exception {
        BufferBudget budget = new BufferBudget(4 * KIB, Duration.ofMinutes(5)); // the wait never runs out here
        BufferBudget.Lease all = budget.reserve(4 * KIB);
        Thread releaser = Thread.ofVirtual().start(all::close);
        try (BufferBudget.Lease waited = budget.reserve(2 * KIB)) {
            assertThat(budget.availableBytes()).isEqualTo(2 * KIB);
        }
        releaser.join();
    }

    @Test
    void aReservationLargerThanTheBudgetTakesTheWholeBudgetInsteadOfWaitingForever() throws Exception {
        BufferBudget budget = new BufferBudget(4 * KIB, Duration.ZERO);
        try (BufferBudget.Lease big = budget.reserve(64 * KIB)) {
            assertThat(budget.availableBytes()).isZero();
        }
        assertThat(budget.availableBytes()).isEqualTo(4 * KIB);
    }

    @Test
    void theProcessBudgetIsAQuarterOfTheMaximumHeap() {
        long expected = Runtime.getRuntime().maxMemory() / 4 / KIB * KIB;
        assertThat(BufferBudget.process().totalBytes()).isEqualTo(Math.min(expected, (long) Integer.MAX_VALUE * KIB));
    }
}
