package io.artsore.se.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class ScheduledTasksTest {
    private static final Logger LOG = Logger.getLogger(ScheduledTasksTest.class.getName());

    @Test
    void aTaskThatThrowsAnErrorRunsAgainAtTheNextTick() throws Exception {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            AtomicInteger runs = new AtomicInteger();
            CountDownLatch thirdRun = new CountDownLatch(1);
            ScheduledFuture<?> schedule = scheduler.scheduleWithFixedDelay(
                    ScheduledTasks.surviving(LOG, "test", () -> {
                        switch (runs.incrementAndGet()) {
                            case 1 -> throw new NoClassDefFoundError("gone");
                            case 2 -> throw new IllegalStateException("broken");
                            default -> thirdRun.countDown();
                        }
                    }), 0, 10, TimeUnit.MILLISECONDS);
            // Without the wrapper the first Error cancels the schedule and the latch never opens.
            assertThat(thirdRun.await(60, TimeUnit.SECONDS)).isTrue();
            assertThat(schedule.isDone()).isFalse();
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void aVirtualMachineErrorIsRethrownAfterLogging() {
        Runnable task = ScheduledTasks.surviving(LOG, "test", () -> {
            throw new StackOverflowError();
        });
        assertThatThrownBy(task::run).isInstanceOf(StackOverflowError.class);
    }
}
