package dev.fc.operator.local;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Time as the local kubelet reads and waits for it; tests replace it to check schedules without waiting. */
public interface Ticker {
  Ticker SYSTEM = new Ticker() {
    @Override
    public long nanoTime() {
      return System.nanoTime();
    }

    @Override
    public boolean awaitUntil(long deadlineNanos, CompletableFuture<?> wake) throws InterruptedException {
      long left = deadlineNanos - System.nanoTime();
      if (wake.isDone()) {
        return false;
      }
      if (left <= 0) {
        return true;
      }
      try {
        wake.get(left, TimeUnit.NANOSECONDS);
        return false;
      } catch (TimeoutException reached) {
        return true;
      } catch (ExecutionException | java.util.concurrent.CancellationException woken) {
        return false;
      }
    }
  };

  long nanoTime();

  /**
   * Waits until the ticker reaches {@code deadlineNanos} or {@code wake} completes, whichever comes first.
   *
   * @return true when the deadline was reached, false when {@code wake} completed first
   */
  boolean awaitUntil(long deadlineNanos, CompletableFuture<?> wake) throws InterruptedException;

  /** Waits, with no deadline, until {@code wake} completes (normally or not). */
  default void await(CompletableFuture<?> wake) throws InterruptedException {
    try {
      wake.get();
    } catch (ExecutionException | java.util.concurrent.CancellationException done) {
      // completed all the same
    }
  }
}
