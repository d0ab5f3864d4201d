package dev.fc.operator.reconciler;

import dev.fc.operator.api.FunctionInstance;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The replacement backoff of each FunctionInstance as this process last decided it. The status carries
 * it too (for users, and across restarts), but the reconcile that follows a status write may still read
 * the older status from the informer cache; trusting that one would create a replacement too early.
 * So the process's own recent decision wins, and the status is the fallback after a restart.
 * Decisions older than {@link #KEEP} are forgotten: by then the status has long caught up (the longest
 * backoff is minutes), and deleted FunctionInstances leave nothing behind.
 */
public final class BackoffMemory {
  static final Duration KEEP = Duration.ofMinutes(30);

  private record Remembered(Backoff backoff, Instant at) {}

  private final Map<String, Remembered> byFunction = new ConcurrentHashMap<>();
  private final Clock clock;

  public BackoffMemory(Clock clock) {
    this.clock = clock;
  }

  public Backoff current(FunctionInstance fi) {
    Remembered remembered = byFunction.get(fi.getMetadata().getUid());
    if (remembered != null && remembered.at().plus(KEEP).isAfter(clock.instant())) {
      return remembered.backoff();
    }
    return Backoff.fromStatus(fi.getStatus() == null ? null : fi.getStatus().getBackoff());
  }

  public void remember(FunctionInstance fi, Backoff backoff) {
    Instant now = clock.instant();
    byFunction.put(fi.getMetadata().getUid(), new Remembered(backoff, now));
    byFunction.values().removeIf(r -> r.at().plus(KEEP).isBefore(now));
  }
}
