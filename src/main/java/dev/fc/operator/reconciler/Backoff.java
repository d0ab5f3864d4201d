package dev.fc.operator.reconciler;

import dev.fc.operator.api.BackoffStatus;
import dev.fc.operator.api.InstancePhase;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Consecutive instance failures of one pod template, the time before which no replacement is created,
 * and the last failure (its description and the failed instance's phase).
 *
 * @param templateHash the template whose instances failed: a backoff belongs to one template, and a new
 *     template starts with none
 */
public record Backoff(int consecutiveFailures, Instant notBefore, Duration delay, String lastFailure,
    InstancePhase lastFailurePhase, String templateHash) {
  public static final Backoff NONE = new Backoff(0, null, Duration.ZERO, null, null, null);

  public boolean active(Instant now) {
    return notBefore != null && now.isBefore(notBefore);
  }

  /** This backoff if it belongs to {@code currentHash}, else none: the old template's failures do not count. */
  public Backoff forTemplate(String currentHash) {
    return consecutiveFailures == 0 || Objects.equals(templateHash, currentHash) ? this : NONE;
  }

  /** After {@code failures} more failed instances of {@code templateHash}, the last one being {@code last}. */
  public Backoff afterFailures(int failures, ObservedInstance last, String templateHash, Instant now,
      ReconcilerSettings settings) {
    int total = consecutiveFailures + failures;
    Duration next = settings.backoffDelay(total);
    return new Backoff(total, now.plus(next), next, FailureDescription.of(last), last.phase(), templateHash);
  }

  public static Backoff fromStatus(BackoffStatus status) {
    if (status == null || status.getConsecutiveFailures() == null || status.getConsecutiveFailures() == 0) {
      return NONE;
    }
    Instant notBefore = status.getNotBefore() == null ? null : Instant.parse(status.getNotBefore());
    long delay = status.getDelaySeconds() == null ? 0 : status.getDelaySeconds();
    return new Backoff(status.getConsecutiveFailures(), notBefore, Duration.ofSeconds(delay), status.getLastFailure(),
        phase(status.getLastFailurePhase()), status.getTemplateHash());
  }

  public BackoffStatus toStatus() {
    if (consecutiveFailures == 0) {
      return null;
    }
    long seconds = (delay.toMillis() + 999) / 1000;
    BackoffStatus status = new BackoffStatus(consecutiveFailures, seconds,
        notBefore == null ? null : notBefore.toString(), lastFailure);
    status.setLastFailurePhase(lastFailurePhase == null ? null : lastFailurePhase.name());
    status.setTemplateHash(templateHash);
    return status;
  }

  private static InstancePhase phase(String name) {
    for (InstancePhase phase : InstancePhase.values()) {
      if (phase.name().equals(name)) {
        return phase;
      }
    }
    return null;
  }
}
