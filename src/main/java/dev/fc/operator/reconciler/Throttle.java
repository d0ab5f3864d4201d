package dev.fc.operator.reconciler;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Lets a sweep through at most once per interval, for housekeeping that need not run on every call (thousands
 * of reconciles come at once after a start). Of threads asking at once, one is let through.
 */
final class Throttle {
  private final Duration interval;
  private final AtomicReference<Instant> last = new AtomicReference<>(Instant.EPOCH);

  Throttle(Duration interval) {
    this.interval = interval;
  }

  /** True when more than the interval passed since the last time this returned true (or ever). */
  boolean due(Instant now) {
    Instant previous = last.get();
    return now.isAfter(previous.plus(interval)) && last.compareAndSet(previous, now);
  }
}
