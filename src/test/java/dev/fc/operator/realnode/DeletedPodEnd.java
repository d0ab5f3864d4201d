package dev.fc.operator.realnode;

import dev.fc.operator.Await;
import dev.fc.operator.kube.PodWatch;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How a pod deleted through the API server ended, as far as the API server shows it: when it was gone, and the
 * function container's end as the runtime wrote it (exit status, termination message), if the kubelet
 * published that before removing the pod.
 *
 * <p>Kubelet 1.20 does not always publish it. On a deleted pod's {@code ContainerDied} it removes the dead
 * container at once ({@code kubelet.go cleanUpContainersInPod}); a status generated after the removal no longer
 * finds the container and writes it {@code Waiting} ({@code convertToAPIContainerStatuses}) or
 * {@code ContainerStatusUnknown} ({@code status_manager.go TerminatePod}), and the pod is removed with that. The
 * real node showed it once in seven runs; docs/realnode.md. What always holds is the timing: a container
 * that stopped on its own is gone before the grace period would have had the kubelet kill it.
 */
record DeletedPodEnd(Duration deleteToGone, Duration gracePeriod, Optional<ContainerStateTerminated> published) {
  private static final String CONTAINER_STATUS_UNKNOWN = "ContainerStatusUnknown";

  /** Deletes the pod and waits until the watch saw it removed. */
  static DeletedPodEnd deleteAndAwait(RealNode node, PodWatch watch, Pod pod) {
    String name = pod.getMetadata().getName();
    Duration grace = Duration.ofSeconds(Objects.requireNonNullElse(pod.getSpec().getTerminationGracePeriodSeconds(),
        30L));
    Instant deleted = Instant.now();
    node.client().pods().inNamespace(pod.getMetadata().getNamespace()).withName(name).delete();
    Instant gone = Await.value(name + " removed from the API server", RealNode.SLOW, () -> watch.goneAt(name),
        Optional::isPresent).get();
    Optional<ContainerStateTerminated> published = watch.history(name).stream().map(RealNode::functionContainer)
        .flatMap(Optional::stream).map(s -> s.getState() == null ? null : s.getState().getTerminated())
        .filter(t -> t != null && !CONTAINER_STATUS_UNKNOWN.equals(t.getReason())).findFirst();
    return new DeletedPodEnd(Duration.between(deleted, gone), grace, published);
  }

  /** The container stopped on its own: the kubelet, which kills at the grace period's end, did not. */
  boolean stoppedWithinGracePeriod() {
    return deleteToGone.compareTo(gracePeriod) < 0;
  }

  @Override
  public String toString() {
    return "gone " + deleteToGone.toMillis() + " ms after the delete (grace period " + gracePeriod.toSeconds()
        + " s), end published: " + published.map(String::valueOf).orElse("none");
  }
}
