package dev.fc.operator.reconciler;

import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.api.FunctionInstanceStatus;

/** Told of every status the reconciler computes, with the one before it (null at first): for metrics. */
@FunctionalInterface
public interface StatusListener {
  StatusListener NONE = (fi, previous, status) -> {};

  void computed(FunctionInstance fi, FunctionInstanceStatus previous, FunctionInstanceStatus status);
}
