package dev.fc.operator.reconciler;

import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.api.FunctionInstanceStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The status this process last wrote for each FunctionInstance, kept for {@link #KEEP}. Only the operator
 * writes the status, so what it wrote is never older than what its informer cache holds; but the
 * reconcile right after a write may still read the older status from the cache. Reading the previous
 * status from here instead keeps that reconcile from acting on stale facts: writing the same status
 * again, giving conditions new transition times, or forgetting a replacement backoff it just started
 * (and so creating a replacement too early). After a restart the cached status is all there is, and
 * by then it is current.
 */
final class WrittenStatuses {
  static final Duration KEEP = Duration.ofSeconds(30);

  private record Written(FunctionInstanceStatus status, Instant at) {}

  private final Map<String, Written> byFunction = new ConcurrentHashMap<>();
  private final Clock clock;
  /** Not on every write: thousands come at once after a start. */
  private final Throttle sweep = new Throttle(Duration.ofSeconds(1));

  WrittenStatuses(Clock clock) {
    this.clock = clock;
  }

  /**
   * The latest status: what this process wrote recently, else the cached one (may be null). Once the cache shows what
   * was written, it is forgotten: at rest the operator holds each status once, in its cache.
   */
  FunctionInstanceStatus previous(FunctionInstance fi) {
    String uid = fi.getMetadata().getUid();
    Written written = byFunction.get(uid);
    if (written == null) {
      return fi.getStatus();
    }
    if (written.status().equals(fi.getStatus())) {
      byFunction.remove(uid, written);
      return fi.getStatus();
    }
    if (written.at().plus(KEEP).isAfter(clock.instant())) {
      return written.status();
    }
    return fi.getStatus();
  }

  /** How many written statuses are held (the cache has not shown them yet, or shows another). */
  int held() {
    return byFunction.size();
  }

  void wrote(FunctionInstance fi, FunctionInstanceStatus status) {
    Instant now = clock.instant();
    byFunction.put(fi.getMetadata().getUid(), new Written(status, now));
    if (sweep.due(now)) {
      byFunction.values().removeIf(w -> w.at().plus(KEEP).isBefore(now));
    }
  }
}
