package dev.fc.operator.reconciler;

import dev.fc.operator.api.InstancePhase;
import dev.fc.operator.contract.TerminationMessage;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;

/**
 * One instance as the operator sees it: what it reads of the pod, nothing else.
 *
 * @param readySince when the pod's Ready condition last became true, or null when not ready
 * @param termination how the container ended, or null while it runs
 */
public record ObservedInstance(
    Pod pod,
    String name,
    String uid,
    String templateHash,
    Instant created,
    InstancePhase phase,
    Instant readySince,
    Termination termination) {

  public boolean ready() {
    return phase == InstancePhase.Ready;
  }

  /** The container ended: the instance will never serve again and is replaced. */
  public boolean terminated() {
    return phase == InstancePhase.InitializerFailed || phase == InstancePhase.Retired;
  }

  public boolean terminating() {
    return phase == InstancePhase.Terminating;
  }

  /** Counts toward the instances: neither ended nor going away. */
  public boolean live() {
    return !terminated() && !terminating();
  }

  /** What the runtime wrote when the container ended, or null while it runs. */
  public TerminationMessage terminationMessage() {
    return termination == null ? null : termination.message();
  }

  public ObservedInstance asTerminating() {
    return new ObservedInstance(pod, name, uid, templateHash, created, InstancePhase.Terminating, null, termination);
  }
}
