package dev.fc.operator.desired;

/**
 * The kubelet settings that carry the hooks' timeouts: the startup probe (which reports the Initializer),
 * how long the runtime holds one startup probe, the readiness probe, and the grace period that bounds
 * drain plus PreStop.
 */
public record HookTimings(
    ProbeTiming startup,
    int startupHoldSeconds,
    ProbeTiming readiness,
    long terminationGracePeriodSeconds,
    int drainSeconds) {

  public record ProbeTiming(int periodSeconds, int timeoutSeconds, int failureThreshold) {}

  /**
   * The longest a start can last before the kubelet gives up, when the runtime answers every probe: the first
   * probe held for the whole hold, then {@code failureThreshold - 1} answered at once, one per period.
   */
  public int startupWindowAnsweredSeconds() {
    return startupHoldSeconds + (startup.failureThreshold() - 1) * startup.periodSeconds();
  }

  /**
   * The same for a runtime that accepts connections but never answers (a hung interpreter): every probe waits
   * for its whole timeout, and the next one starts at once (the kubelet's ticker kept one tick).
   */
  public int startupWindowSilentSeconds() {
    return startup.failureThreshold() * Math.max(startup.periodSeconds(), startup.timeoutSeconds());
  }
}
