package dev.fc.operator.reconciler;

import dev.fc.operator.api.InstancePhase;
import dev.fc.operator.desired.InstanceContainers;
import dev.fc.operator.desired.Labels;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Maps one pod to an {@link ObservedInstance}, nothing more (no cache, no watch), from what a real kubelet
 * reports: the pod's Ready condition, the state of the container that carries the contract (the runtime, or a custom
 * runtime's adapter; {@link InstanceContainers}), and for an ended instance its {@link Termination}: the first of
 * its containers that terminated ends it. The container's {@code started} flag is not used: the kubelet sets it false again
 * once a container terminated. Pure.
 */
public final class InstanceFromPod {
  private InstanceFromPod() {}

  /** Without history: for metrics, and for pods just created. */
  public static ObservedInstance read(Pod pod) {
    return read(pod, InstanceHistory.NONE);
  }

  public static ObservedInstance read(Pod pod, InstanceHistory history) {
    var meta = pod.getMetadata();
    String hash = meta.getLabels() == null ? null : meta.getLabels().get(Labels.TEMPLATE_HASH);
    Instant created = parse(meta.getCreationTimestamp());
    Optional<ContainerStatus> function = InstanceContainers.lifecycleStatus(pod);
    ContainerStateTerminated terminated = InstanceContainers.ended(pod)
        .map(InstanceContainers::terminatedState)
        .orElse(null);
    String podPhase = pod.getStatus() == null ? null : pod.getStatus().getPhase();

    if (meta.getDeletionTimestamp() != null) {
      return new ObservedInstance(pod, meta.getName(), meta.getUid(), hash, created, InstancePhase.Terminating, null,
          terminated == null ? null : Termination.of(pod, terminated));
    }
    if (terminated != null || "Failed".equals(podPhase) || "Succeeded".equals(podPhase)) {
      Termination termination = Termination.of(pod, terminated);
      return new ObservedInstance(pod, meta.getName(), meta.getUid(), hash, created,
          termination.phase(history.seenInitialized(meta.getName())), null, termination);
    }
    Instant readySince = readySince(pod);
    InstancePhase phase;
    if (readySince != null) {
      phase = InstancePhase.Ready;
    } else if (function.map(s -> s.getState() != null && s.getState().getRunning() != null).orElse(false)) {
      phase = InstancePhase.Initializing;
    } else {
      phase = InstancePhase.Pending;
    }
    return new ObservedInstance(pod, meta.getName(), meta.getUid(), hash, created, phase, readySince, null);
  }

  private static Instant readySince(Pod pod) {
    List<PodCondition> conditions = pod.getStatus() == null ? null : pod.getStatus().getConditions();
    if (conditions == null) {
      return null;
    }
    return conditions.stream()
        .filter(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()))
        .findFirst()
        .map(c -> Optional.ofNullable(parse(c.getLastTransitionTime())).orElse(Instant.EPOCH))
        .orElse(null);
  }

  static Instant parse(String timestamp) {
    return timestamp == null || timestamp.isEmpty() ? null : Instant.parse(timestamp);
  }
}
