package io.artsore.se.replica;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Security review L10: the idle check of a forwarded request leaves the watchdog's queue when the request ends. */
class LeaderProxyWatchdogTest {
    @Test
    void cancelledIdleChecksDoNotStayQueued() {
        ScheduledThreadPoolExecutor watchdog = LeaderProxy.idleWatchdog();
        try {
            List<ScheduledFuture<?>> checks = new ArrayList<>();
            for (int i = 0; i < 1000; i++) { // requests being forwarded, each with its periodic idle check
                checks.add(watchdog.scheduleWithFixedDelay(() -> { }, 15, 15, TimeUnit.SECONDS));
            }
            assertThat(watchdog.getQueue()).hasSize(1000);
            checks.forEach(c -> c.cancel(false)); // the requests ended
            assertThat(watchdog.getQueue()).isEmpty();
        } finally {
            watchdog.shutdownNow();
        }
    }
}
