package dev.fc.operator.elastic;

import java.time.Duration;
import java.util.List;

/**
 * What {@link ScalingDecider} chose for one elastic function.
 *
 * @param desired the instance count from now on
 * @param reason what set it, or null when it did not change
 * @param message the numbers behind it, for the status and the operator's log
 * @param reclaim the idle instances to delete, idlest first (the count already excludes them)
 * @param recheckAfter when to decide again though nothing else changes (the next instance to reach idleTimeout),
 *     or null
 */
public record ScalingDecision(int desired, ScalingReason reason, String message, List<String> reclaim,
    Duration recheckAfter) {
  public ScalingDecision {
    reclaim = List.copyOf(reclaim);
  }

  public boolean changed() {
    return reason != null;
  }
}
