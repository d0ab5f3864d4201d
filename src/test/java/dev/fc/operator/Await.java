package dev.fc.operator;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls a condition until it holds or a deadline passes. Never a sleep used as synchronisation. */
public final class Await {
  /** Generous: a loaded 2-core CI machine is slow; a passing wait returns as soon as its condition holds. */
  public static final Duration DEFAULT = Duration.ofSeconds(60);
  private static final long POLL_MILLIS = 25;

  private Await() {}

  public static void until(String what, BooleanSupplier condition) {
    until(what, condition, DEFAULT);
  }

  public static void until(String what, BooleanSupplier condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for: " + what);
      }
      pause();
    }
  }

  /** Polls {@code value} until {@code accept} holds for it; returns it. */
  public static <T> T value(String what, Supplier<T> value, java.util.function.Predicate<T> accept) {
    return value(what, DEFAULT, value, accept);
  }

  /** Polls {@code value} until {@code accept} holds for it, at most {@code timeout}; returns it. */
  public static <T> T value(String what, Duration timeout, Supplier<T> value, java.util.function.Predicate<T> accept) {
    long deadline = System.nanoTime() + timeout.toNanos();
    T last = value.get();
    while (!accept.test(last)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for: " + what + "; last value: " + last);
      }
      pause();
      last = value.get();
    }
    return last;
  }

  private static void pause() {
    try {
      Thread.sleep(POLL_MILLIS); // polling interval, not synchronisation
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
