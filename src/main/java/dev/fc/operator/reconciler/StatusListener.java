package dev.fc.operator.reconciler;

import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.api.FunctionInstanceStatus;
import dev.fc.operator.elastic.ScalingDecision;

/**
 * Told of every status the reconciler computes, with the one before it (null at first), and of every scaling
 * decision that changed a count: for metrics.
 */
@FunctionalInterface
public interface StatusListener {
  StatusListener NONE = (fi, previous, status) -> {};

  /** Tells each of {@code listeners} in turn. */
  static StatusListener all(StatusListener... listeners) {
    return new StatusListener() {
      @Override
      public void computed(FunctionInstance fi, FunctionInstanceStatus previous, FunctionInstanceStatus status) {
        for (StatusListener listener : listeners) {
          listener.computed(fi, previous, status);
        }
      }

      @Override
      public void scaled(FunctionInstance fi, Integer previousDesired, ScalingDecision decision) {
        for (StatusListener listener : listeners) {
          listener.scaled(fi, previousDesired, decision);
        }
      }
    };
  }

  void computed(FunctionInstance fi, FunctionInstanceStatus previous, FunctionInstanceStatus status);

  /**
   * An elastic function's count changed.
   *
   * @param previousDesired the count before, or null when the function just became elastic
   */
  default void scaled(FunctionInstance fi, Integer previousDesired, ScalingDecision decision) {}
}
