package dev.fc.operator.api;

/** The phase of one instance, as reported in {@code status.instanceStatuses[].phase}. */
public enum InstancePhase {
  /** The pod is not running yet (scheduling, image pull, init container). */
  Pending,
  /** The container runs; the startup probe (the Initializer) has not succeeded yet. */
  Initializing,
  /** Initialized and passing its readiness probe. */
  Ready,
  /** The container terminated before it was initialized: the Initializer failed or timed out. */
  InitializerFailed,
  /** The container terminated after serving: retired after an invocation timeout, or killed. */
  Retired,
  /** The pod is being deleted; PreStop runs. */
  Terminating
}
