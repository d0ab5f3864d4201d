package dev.fc.operator.reconciler;

import dev.fc.operator.reconciler.InstancePlan.Deletion;
import dev.fc.operator.reconciler.InstancePlan.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * FC's instance semantics as one pure function from what exists to what to do:
 *
 * <ul>
 *   <li>a terminated instance (Initializer failed, or retired) is deleted and replaced, the replacement
 *       waiting for the backoff, which grows with consecutive failures of the current template's instances
 *       and resets once an instance of it has stayed ready long enough; a new template starts without
 *       backoff, and a failed instance of an older template adds nothing to it;
 *   <li>a change of template rolls the instances with one surge pod and no loss of ready capacity: a stale
 *       instance is deleted only when it is not ready or when the others that are ready still number at
 *       least the desired count;
 *   <li>scale-down deletes not-yet-ready instances before ready ones, newest first (by ready time, then
 *       creation time).
 * </ul>
 */
public final class InstancePlanner {
  /**
   * The order in which surplus and stale instances go, as the ReplicaSet controller's: not ready first,
   * then the most recently ready, then the newest (creation times have one-second granularity, so ties
   * are common).
   */
  static final Comparator<ObservedInstance> REMOVAL_ORDER = Comparator
      .comparing(ObservedInstance::ready)
      .thenComparing(ObservedInstance::readySince, Comparator.nullsFirst(Comparator.reverseOrder()))
      .thenComparing(ObservedInstance::created, Comparator.nullsLast(Comparator.reverseOrder()))
      .thenComparing(ObservedInstance::name);

  private InstancePlanner() {}

  public static InstancePlan plan(int desired, String currentHash, List<ObservedInstance> instances, Backoff backoff,
      Instant now, ReconcilerSettings settings) {
    return plan(desired, List.of(), currentHash, instances, backoff, now, settings);
  }

  /**
   * @param desired how many instances there should be, not counting {@code reclaim}
   * @param reclaim live instances to delete first for idleness, of any template (an elastic function's,
   *     chosen by the scaling decision)
   */
  public static InstancePlan plan(int desired, List<String> reclaim, String currentHash,
      List<ObservedInstance> instances, Backoff backoff, Instant now, ReconcilerSettings settings) {
    List<Deletion> deletions = new ArrayList<>();
    List<ObservedInstance> current = new ArrayList<>();
    List<ObservedInstance> stale = new ArrayList<>();
    List<ObservedInstance> failed = new ArrayList<>();
    for (ObservedInstance instance : instances) {
      if (instance.terminated()) {
        failed.add(instance);
      } else if (instance.live() && reclaim.contains(instance.name())) {
        deletions.add(new Deletion(instance, Reason.IDLE));
      } else if (instance.live()) {
        (currentHash.equals(instance.templateHash()) ? current : stale).add(instance);
      }
    }
    Duration requeue = null;

    // Backoff: the current template's only; reset once a current instance has stayed ready; then count the
    // current template's new failures.
    backoff = backoff.forTemplate(currentHash);
    if (backoff.consecutiveFailures() > 0) {
      Instant readySince = current.stream().filter(ObservedInstance::ready).map(ObservedInstance::readySince)
          .min(Comparator.naturalOrder()).orElse(null);
      if (readySince != null) {
        Instant resetAt = readySince.plus(settings.backoffResetAfter());
        if (!now.isBefore(resetAt)) {
          backoff = Backoff.NONE;
        } else {
          requeue = earliest(requeue, Duration.between(now, resetAt));
        }
      }
    }
    failed.forEach(instance -> deletions.add(new Deletion(instance, Reason.FAILED)));
    List<ObservedInstance> currentFailed = failed.stream().filter(i -> currentHash.equals(i.templateHash())).toList();
    if (!currentFailed.isEmpty()) {
      backoff = backoff.afterFailures(currentFailed.size(), currentFailed.get(currentFailed.size() - 1), currentHash,
          now, settings);
    }

    // Rollout: stale instances go while ready capacity stays at the desired count.
    long ready = current.stream().filter(ObservedInstance::ready).count()
        + stale.stream().filter(ObservedInstance::ready).count();
    stale.sort(REMOVAL_ORDER);
    List<ObservedInstance> staleKept = new ArrayList<>();
    for (ObservedInstance instance : stale) {
      if (!instance.ready()) {
        deletions.add(new Deletion(instance, Reason.STALE));
      } else if (ready - 1 >= desired) {
        deletions.add(new Deletion(instance, Reason.STALE));
        ready--;
      } else {
        staleKept.add(instance);
      }
    }

    // Scale-down of current instances.
    if (current.size() > desired) {
      current.sort(REMOVAL_ORDER);
      current.subList(0, current.size() - desired)
          .forEach(instance -> deletions.add(new Deletion(instance, Reason.SCALE_DOWN)));
    }
    int currentKept = Math.min(current.size(), desired);

    // Creation: up to the desired count, one surge pod while stale instances remain, after the backoff.
    int allowedTotal = desired + (staleKept.isEmpty() ? 0 : 1);
    int toCreate = Math.max(0, Math.min(desired - currentKept, allowedTotal - currentKept - staleKept.size()));
    if (toCreate > 0 && backoff.active(now)) {
      requeue = earliest(requeue, Duration.between(now, backoff.notBefore()));
      toCreate = 0;
    }
    return new InstancePlan(toCreate, List.copyOf(deletions), backoff, requeue);
  }

  private static Duration earliest(Duration a, Duration b) {
    return a == null || b.compareTo(a) < 0 ? b : a;
  }
}
