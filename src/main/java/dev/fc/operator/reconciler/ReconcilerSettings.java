package dev.fc.operator.reconciler;

import java.time.Duration;

/**
 * Timings of the operator's own behaviour. Replacement backoff: the first replacement after a failure
 * waits {@code backoffInitial}, each further consecutive failure doubles it up to {@code backoffMax};
 * the count resets once an instance of the current template has stayed ready for {@code backoffResetAfter}.
 */
public record ReconcilerSettings(Duration backoffInitial, Duration backoffMax, Duration backoffResetAfter) {
  public static ReconcilerSettings defaults() {
    return new ReconcilerSettings(Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofSeconds(30));
  }

  /** The wait before the replacement that follows {@code consecutiveFailures} failures (≥ 1). */
  public Duration backoffDelay(int consecutiveFailures) {
    Duration delay = backoffInitial;
    for (int i = 1; i < consecutiveFailures && delay.compareTo(backoffMax) < 0; i++) {
      delay = delay.multipliedBy(2);
    }
    return delay.compareTo(backoffMax) > 0 ? backoffMax : delay;
  }
}
