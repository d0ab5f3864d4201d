package dev.fc.operator.desired;

/**
 * The kubelet settings that carry the hooks' timeouts: the startup probe (the Initializer), the
 * readiness probe, and the grace period that bounds drain plus PreStop.
 */
public record HookTimings(
    ProbeTiming startup,
    ProbeTiming readiness,
    long terminationGracePeriodSeconds,
    int drainSeconds) {

  public record ProbeTiming(int periodSeconds, int timeoutSeconds, int failureThreshold) {
    /** The longest time the kubelet keeps probing before it gives up: failureThreshold × periodSeconds. */
    public int failureWindowSeconds() {
      return failureThreshold * periodSeconds;
    }
  }
}
