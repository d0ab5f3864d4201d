package dev.fc.operator.reconciler;

import java.time.Duration;
import java.util.List;

/**
 * What to do to one FunctionInstance's pods in this reconcile. Pure data, made by {@link InstancePlanner}.
 *
 * @param toCreate how many pods of the current template to create
 * @param toDelete pods to delete, each with why
 * @param backoff the replacement backoff after this plan
 * @param requeueAfter when to look again even if nothing changes (backoff expiry, reset check), or null
 */
public record InstancePlan(int toCreate, List<Deletion> toDelete, Backoff backoff, Duration requeueAfter) {

  public enum Reason {
    /** The container terminated; a new instance replaces it. */
    FAILED,
    /** Its template is not the current one; a new instance replaced it. */
    STALE,
    /** More instances than desired. */
    SCALE_DOWN,
    /** An elastic function's instance that served nothing for idleTimeout. */
    IDLE
  }

  public record Deletion(ObservedInstance instance, Reason reason) {}
}
