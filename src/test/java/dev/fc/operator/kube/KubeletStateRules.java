package dev.fc.operator.kube;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The pod states a real kubelet 1.20 writes, as rules: the test kubelet ({@code reconciler.Kubelet}) must
 * produce only states that obey them, and the real-node tier checks that every state the real kubelet wrote
 * obeys them too, so the rules cannot drift from the kubelet.
 * <ul>
 *   <li>a terminated or waiting container is neither started nor ready (the kubelet resets both);
 *   <li>a container that has not started (startup probe not yet passed) is not ready;
 *   <li>the pod's Ready condition is True only when every container is started and ready;
 *   <li>with {@code restartPolicy: Never}, a pod in phase Failed or Succeeded and not being deleted has every
 *       container terminated. A pod being deleted may not: kubelet 1.20 removes a deleted pod's dead container at
 *       once, and a status generated after that shows it {@code Waiting} in phase Failed (the real node wrote
 *       exactly that; docs/realnode.md).
 * </ul>
 */
public final class KubeletStateRules {
  private KubeletStateRules() {}

  /** What is wrong with this pod state; empty when a real kubelet could have written it. */
  public static List<String> violations(Pod pod) {
    List<String> wrong = new ArrayList<>();
    if (pod.getStatus() == null) {
      return wrong;
    }
    List<ContainerStatus> containers = pod.getStatus().getContainerStatuses() == null ? List.of()
        : pod.getStatus().getContainerStatuses();
    for (ContainerStatus c : containers) {
      boolean started = Boolean.TRUE.equals(c.getStarted());
      boolean ended = c.getState() != null && c.getState().getTerminated() != null;
      boolean waiting = c.getState() != null && c.getState().getWaiting() != null;
      if ((ended || waiting) && (started || c.getReady())) {
        wrong.add(c.getName() + ": " + (ended ? "terminated" : "waiting") + " but started=" + c.getStarted()
            + " ready=" + c.getReady());
      }
      if (!started && c.getReady()) {
        wrong.add(c.getName() + ": ready before it started");
      }
    }
    boolean podReady = pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
        .anyMatch(k -> "Ready".equals(k.getType()) && "True".equals(k.getStatus()));
    if (podReady && (containers.isEmpty()
        || !containers.stream().allMatch(c -> c.getReady() && Boolean.TRUE.equals(c.getStarted())))) {
      wrong.add("pod Ready while a container is not started and ready");
    }
    String phase = pod.getStatus().getPhase();
    boolean deleting = pod.getMetadata().getDeletionTimestamp() != null;
    if (("Failed".equals(phase) || "Succeeded".equals(phase)) && "Never".equals(pod.getSpec().getRestartPolicy())
        && !deleting
        && !containers.isEmpty()
        && !containers.stream().allMatch(c -> c.getState() != null && c.getState().getTerminated() != null)) {
      wrong.add("phase " + phase + " with a container not terminated");
    }
    return wrong;
  }

  /** Fails when any of the states breaks a rule, naming the pod and the rule. */
  public static void assertObeyed(Collection<Pod> states) {
    List<String> wrong = new ArrayList<>();
    for (Pod pod : states) {
      violations(pod).forEach(v -> wrong.add(pod.getMetadata().getName() + ": " + v));
    }
    if (!wrong.isEmpty()) {
      throw new AssertionError("pod states no real kubelet writes:\n" + String.join("\n", wrong));
    }
  }

  /** Every state the watch saw. */
  public static void assertObeyed(PodWatch watch) {
    assertObeyed(watch.seen().stream().flatMap(n -> watch.history(n).stream()).toList());
  }
}
