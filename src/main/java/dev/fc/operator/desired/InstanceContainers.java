package dev.fc.operator.desired;

import dev.fc.operator.contract.RuntimeContainer;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Optional;

/**
 * Which container of an instance's pod is which. A Python function's pod has one, {@value RuntimeContainer#NAME}: the
 * runtime, which carries the contract and runs the user's code. A custom runtime's pod has two: the user's server in
 * {@value RuntimeContainer#NAME}, and the adapter in {@value RuntimeContainer#ADAPTER_NAME}, which carries the
 * contract (probes, secret, termination message, invocation port). Pure.
 */
public final class InstanceContainers {
  private InstanceContainers() {}

  /** The name of the container that carries the contract in {@code pod}. */
  public static String lifecycleName(Pod pod) {
    return containers(pod).stream().anyMatch(c -> RuntimeContainer.ADAPTER_NAME.equals(c.getName()))
        ? RuntimeContainer.ADAPTER_NAME : RuntimeContainer.NAME;
  }

  /** The container that carries the contract: its ports, probes, secret and termination message. */
  public static Optional<Container> lifecycle(Pod pod) {
    String name = lifecycleName(pod);
    return containers(pod).stream().filter(c -> name.equals(c.getName())).findFirst();
  }

  /** The container the user's code runs in, which has the function's memory limit. */
  public static Optional<Container> function(Pod pod) {
    return containers(pod).stream().filter(c -> RuntimeContainer.NAME.equals(c.getName())).findFirst();
  }

  /** The lifecycle container's status, as the kubelet reports it. */
  public static Optional<ContainerStatus> lifecycleStatus(Pod pod) {
    String name = lifecycleName(pod);
    return statuses(pod).stream().filter(s -> name.equals(s.getName())).findFirst();
  }

  /**
   * The status of the container whose end ended the instance: the lifecycle container's once it terminated (it
   * wrote the termination message), else the function container's (a custom runtime's server exited while the
   * adapter still runs: with {@code restartPolicy: Never} it is not restarted, so the instance is over), else none.
   * Containers the operator did not make (a sidecar an admission webhook injected) never end the instance.
   */
  public static Optional<ContainerStatus> ended(Pod pod) {
    Optional<ContainerStatus> lifecycle = lifecycleStatus(pod).filter(InstanceContainers::terminated);
    if (lifecycle.isPresent()) {
      return lifecycle;
    }
    return statuses(pod).stream().filter(s -> RuntimeContainer.NAME.equals(s.getName()))
        .filter(InstanceContainers::terminated).findFirst();
  }

  private static boolean terminated(ContainerStatus status) {
    return terminatedState(status) != null;
  }

  /** The status's terminated state, or null. */
  public static ContainerStateTerminated terminatedState(ContainerStatus status) {
    return status.getState() == null ? null : status.getState().getTerminated();
  }

  private static List<Container> containers(Pod pod) {
    return pod.getSpec() == null || pod.getSpec().getContainers() == null ? List.of() : pod.getSpec().getContainers();
  }

  private static List<ContainerStatus> statuses(Pod pod) {
    return pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null ? List.of()
        : pod.getStatus().getContainerStatuses();
  }
}
