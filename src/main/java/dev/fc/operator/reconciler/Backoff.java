package dev.fc.operator.reconciler;

import dev.fc.operator.api.BackoffStatus;
import java.time.Duration;
import java.time.Instant;

/** Consecutive instance failures, the time before which no replacement is created, and the last failure. */
public record Backoff(int consecutiveFailures, Instant notBefore, Duration delay, String lastFailure) {
  public static final Backoff NONE = new Backoff(0, null, Duration.ZERO, null);

  public boolean active(Instant now) {
    return notBefore != null && now.isBefore(notBefore);
  }

  public Backoff afterFailures(int failures, String lastFailure, Instant now, ReconcilerSettings settings) {
    int total = consecutiveFailures + failures;
    Duration next = settings.backoffDelay(total);
    return new Backoff(total, now.plus(next), next, lastFailure);
  }

  public static Backoff fromStatus(BackoffStatus status) {
    if (status == null || status.getConsecutiveFailures() == null || status.getConsecutiveFailures() == 0) {
      return NONE;
    }
    Instant notBefore = status.getNotBefore() == null ? null : Instant.parse(status.getNotBefore());
    long delay = status.getDelaySeconds() == null ? 0 : status.getDelaySeconds();
    return new Backoff(status.getConsecutiveFailures(), notBefore, Duration.ofSeconds(delay), status.getLastFailure());
  }

  public BackoffStatus toStatus() {
    if (consecutiveFailures == 0) {
      return null;
    }
    long seconds = (delay.toMillis() + 999) / 1000;
    return new BackoffStatus(consecutiveFailures, seconds, notBefore == null ? null : notBefore.toString(),
        lastFailure);
  }
}
