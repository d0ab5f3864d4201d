package dev.fc.operator.elastic;

/** What set an elastic function's instance count: {@code status.scaling.reason}. */
public enum ScalingReason {
  /** The count the function had when it became elastic (its live instances). */
  Initial,
  /** Invocations in flight and held need more instances than there were. */
  Demand,
  /** Instances served nothing for idleTimeout and were deleted. */
  IdleReclaim,
  /** An instance ended (its Initializer failed, it retired, it was deleted) and no invocation needs another. */
  InstanceEnded,
  /** The count was raised to minInstances. */
  MinInstances,
  /** The count was capped at maxInstances. */
  MaxInstances
}
