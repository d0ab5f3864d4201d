package dev.fc.operator.local;

import io.fabric8.kubernetes.api.model.Probe;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One probe of the container, run as the kubelet 1.20's probe worker runs it from its spec: attempts on a
 * ticker of {@code periodSeconds} whose first tick is {@code initialDelaySeconds} after the container
 * started, each bounded by {@code timeoutSeconds}; {@code failureThreshold} consecutive failures fail it.
 * Like Go's ticker, which keeps one tick while the worker is busy, an attempt that outlasts the period is
 * followed by the next at once, and the one after that at the next tick. A probe that may only begin
 * later (readiness, once the container has started) begins at the first tick from then on.
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
   * @param startNanos when the container started: the ticker's first tick, plus initialDelaySeconds; a probe
   *     begun later (readiness, once started) starts at the ticker's next tick
   */
  Result untilSuccess(long startNanos, CompletableFuture<?> abort) throws InterruptedException {
    Ticks ticks = new Ticks(startNanos + Duration.ofSeconds(timing.initialDelaySeconds()).toNanos());
    int failures = 0;
    while (true) {
      if (!ticker.awaitUntil(ticks.next(), abort)) {
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
      ticks.attemptEnded(ticker.nanoTime());
    }
  }

  /**
   * Keeps probing every period until {@code stop} completes, reporting each change: false once
   * {@code failureThreshold} consecutive attempts failed, true again at the next success.
   */
  void watch(long startNanos, CompletableFuture<?> stop, Consumer<Boolean> changes) throws InterruptedException {
    Ticks ticks = new Ticks(startNanos);
    int failures = 0;
    boolean ready = true;
    while (ticker.awaitUntil(ticks.next(), stop)) {
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
      ticks.attemptEnded(ticker.nanoTime());
    }
  }

  /** The worker's ticker: ticks every period from {@code first}, one kept while an attempt runs. */
  private final class Ticks {
    private final long first;
    private final long period = Duration.ofSeconds(timing.periodSeconds()).toNanos();
    private long tick;
    private long next;

    Ticks(long first) {
      this.first = first;
      this.tick = atOrAfter(Math.max(first, ticker.nanoTime()));
      this.next = tick;
    }

    /** When the next attempt starts. */
    long next() {
      return next;
    }

    void attemptEnded(long now) {
      if (now >= tick + period) {
        next = now; // the ticker kept a tick that came during the attempt
        tick = atOrAfter(now + 1) - period;
      } else {
        tick += period;
        next = tick;
      }
    }

    /** The first tick at or after {@code t}. */
    private long atOrAfter(long t) {
      long periods = t <= first ? 0 : (t - first + period - 1) / period;
      return first + periods * period;
    }
  }
}
