package io.artsore.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.javaoperatorsdk.operator.processing.retry.RetryExecution;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    @Test
    void backOffGrowsExponentiallyNeverExceedsFiveMinutesAndNeverGivesUp() {
        RetryExecution retry = RetryPolicy.create().initExecution();
        List<Long> delays = new ArrayList<>();
        for (int attempt = 0; attempt < 10_000; attempt++) {
            Optional<Long> next = retry.nextDelay();
            assertThat(next).as("attempt %d is still retried", attempt).isPresent();
            delays.add(next.get());
        }
        // JOSDK waits the initial interval twice, then doubles
        assertThat(delays.subList(0, 5)).containsExactly(2_000L, 2_000L, 4_000L, 8_000L, 16_000L);
        assertThat(delays).allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(Duration.ofMinutes(5).toMillis()));
        assertThat(delays.getLast()).isEqualTo(Duration.ofMinutes(5).toMillis());
    }
}
