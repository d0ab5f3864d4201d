package dev.fc.operator.reconciler;

import dev.fc.operator.api.InstancePhase;

/** Every reason of the events the operator records on FunctionInstances, with its event type. */
public enum EventReason {
  /** The spec is invalid: no instance is created or deleted until it is fixed. */
  InvalidSpec(Type.Warning),
  /** A Service of the function's name exists and is not the operator's. */
  ServiceConflict(Type.Warning),
  /** An instance's container ended before its Initializer succeeded. */
  InitializerFailed(Type.Warning),
  /** An instance's container ended after it served: an invocation timeout, a kill, an OOM. */
  Retired(Type.Warning),
  /** A failed instance was deleted; a new one follows after the backoff. */
  InstanceReplaced(Type.Warning),
  InstanceCreated(Type.Normal),
  /** Deleted for a scale-down or because a newer template replaced it. */
  InstanceDeleted(Type.Normal),
  /** An elastic function's instance served nothing for idleTimeout and was deleted; its PreStop runs. */
  InstanceReclaimed(Type.Normal),
  /** An elastic function's instance count changed: the numbers behind it are in the message. */
  Scaled(Type.Normal),
  RolloutStarted(Type.Normal),
  RolloutFinished(Type.Normal);

  /** Kubernetes' event types. */
  public enum Type { Normal, Warning }

  private final Type type;

  EventReason(Type type) {
    this.type = type;
  }

  public Type type() {
    return type;
  }

  /** The reason for an ended instance; {@link ObservedInstance#terminated()} holds for it. */
  static EventReason forEnded(InstancePhase phase) {
    return phase == InstancePhase.InitializerFailed ? InitializerFailed : Retired;
  }
}
