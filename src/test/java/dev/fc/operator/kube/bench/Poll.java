package dev.fc.operator.kube.bench;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a condition at a given interval until it holds or a deadline passes: never a sleep as synchronisation. */
final class Poll {
  private Poll() {}

  static void until(String what, Duration timeout, Duration interval, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s waiting for " + what);
      }
      pause(interval);
    }
  }

  /** Like {@link #until}, but returns false instead of failing when the deadline passes. */
  static boolean within(Duration timeout, Duration interval, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      pause(interval);
    }
    return true;
  }

  private static void pause(Duration interval) {
    try {
      Thread.sleep(interval.toMillis()); // the polling interval, bounded by the deadline
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
