package dev.fc.operator.local;

import io.fabric8.kubernetes.api.model.Probe;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One probe of the container, run as the kubelet runs it from its spec: the first attempt
 * {@code initialDelaySeconds} after the container started, then one every {@code periodSeconds}, each
 * bounded by {@code timeoutSeconds}; {@code failureThreshold} consecutive failures fail it. An attempt
 * that outlasts the period delays the next one to the next period boundary.
 */
final class ProbeRunner {
  record Attempt(boolean success, String detail) {}

  /** One attempt of the probe, bounded by the timeout. */
  interface Action {
    Attempt attempt(Duration timeout) throws InterruptedException;
  }

  enum Result { SUCCEEDED, FAILED, ABORTED }

  /** The probe's fields, with Kubernetes' defaults for those unset. */
  record Timing(int initialDelaySeconds, int periodSeconds, int timeoutSeconds, int failureThreshold) {
    static Timing of(Probe probe) {
      return new Timing(
          probe.getInitialDelaySeconds() == null ? 0 : probe.getInitialDelaySeconds(),
          probe.getPeriodSeconds() == null ? 10 : probe.getPeriodSeconds(),
          probe.getTimeoutSeconds() == null ? 1 : probe.getTimeoutSeconds(),
          probe.getFailureThreshold() == null ? 3 : probe.getFailureThreshold());
    }
  }

  private final String kind;
  private final Timing timing;
  private final Action action;
  private final Ticker ticker;
  private final Consumer<String> log;

  ProbeRunner(String kind, Timing timing, Action action, Ticker ticker, Consumer<String> log) {
    this.kind = kind;
    this.timing = timing;
    this.action = action;
    this.ticker = ticker;
    this.log = log;
  }

  /**
   * Probes until the first success or {@code failureThreshold} consecutive failures; ABORTED as soon
   * as {@code abort} completes (the container exited, or a stop was asked for).
   *
   * @param startNanos when the container started (or, for readiness, when probing may begin)
   */
  Result untilSuccess(long startNanos, CompletableFuture<?> abort) throws InterruptedException {
    long first = startNanos + Duration.ofSeconds(timing.initialDelaySeconds()).toNanos();
    long next = first;
    int failures = 0;
    while (true) {
      if (!ticker.awaitUntil(next, abort)) {
        return Result.ABORTED;
      }
      Attempt attempt = action.attempt(Duration.ofSeconds(timing.timeoutSeconds()));
      if (abort.isDone()) {
        return Result.ABORTED;
      }
      if (attempt.success()) {
        log.accept(kind + " probe succeeded" + (failures == 0 ? "" : " after " + failures + " failure(s)"));
        return Result.SUCCEEDED;
      }
      failures++;
      log.accept(kind + " probe failed: " + attempt.detail() + " (attempt " + failures + "/"
          + timing.failureThreshold() + ")");
      if (failures >= timing.failureThreshold()) {
        return Result.FAILED;
      }
      next = nextTick(first, ticker.nanoTime());
    }
  }

  /**
   * Keeps probing every period until {@code stop} completes, reporting each change: false once
   * {@code failureThreshold} consecutive attempts failed, true again at the next success.
   */
  void watch(long startNanos, CompletableFuture<?> stop, Consumer<Boolean> changes) throws InterruptedException {
    long first = startNanos;
    long next = first;
    int failures = 0;
    boolean ready = true;
    while (ticker.awaitUntil(next, stop)) {
      Attempt attempt = action.attempt(Duration.ofSeconds(timing.timeoutSeconds()));
      if (stop.isDone()) {
        return;
      }
      if (attempt.success()) {
        failures = 0;
        if (!ready) {
          ready = true;
          changes.accept(true);
        }
      } else if (++failures >= timing.failureThreshold() && ready) {
        ready = false;
        log.accept(kind + " probe failed: " + attempt.detail() + " (" + failures + " in a row)");
        changes.accept(false);
      }
      next = nextTick(first, ticker.nanoTime());
    }
  }

  /** The first period boundary after {@code now}. */
  private long nextTick(long first, long now) {
    long period = Duration.ofSeconds(timing.periodSeconds()).toNanos();
    long periods = (now - first) / period + 1;
    return first + periods * period;
  }
}
