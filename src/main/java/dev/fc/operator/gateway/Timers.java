package dev.fc.operator.gateway;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Runs a task after a delay. A seam, so that the slot logic's tests drive time themselves. */
public interface Timers {
  /** Schedules {@code task}; the returned action cancels it (a no-op once it ran). */
  Runnable schedule(Duration delay, Runnable task);

  static Timers on(ScheduledExecutorService executor) {
    return (delay, task) -> {
      var future = executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
      return () -> future.cancel(false);
    };
  }
}
