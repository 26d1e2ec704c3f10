package io.artsore.se.logging;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A periodic task on a {@code ScheduledExecutorService} is cancelled for good, without a word, by the first
 * throwable that escapes it. Elections, heartbeats and key refreshes must keep running, so their bodies are
 * wrapped here: any failure is logged as a {@code scheduled_task_failed} event and the next run happens as
 * planned. Only a {@link VirtualMachineError} (out of memory, stack overflow, internal error) is rethrown
 * after logging: the JVM is no longer trustworthy and the task must not pretend otherwise.
 */
public final class ScheduledTasks {
    private ScheduledTasks() {
    }

    public static Runnable surviving(Logger log, String task, Runnable body) {
        return () -> {
            try {
                body.run();
            } catch (VirtualMachineError e) {
                Events.log(log, Level.SEVERE, "scheduled_task_failed", e, "task", task, "outcome", "stopped");
                throw e;
            } catch (Throwable t) {
                Events.log(log, Level.SEVERE, "scheduled_task_failed", t, "task", task, "outcome",
                        "retrying at the next run");
            }
        };
    }
}
