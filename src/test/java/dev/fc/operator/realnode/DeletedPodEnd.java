package dev.fc.operator.realnode;

import dev.fc.operator.Await;
import dev.fc.operator.kube.PodWatch;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How a pod deleted through the API server ended: when it was gone, how containerd stopped its function
 * container, and the container's end as the runtime wrote it (exit status, termination message), if the
 * kubelet published that before removing the pod.
 *
 * <p>Kubelet 1.20 does not always publish it. On a deleted pod's {@code ContainerDied} it removes the dead
 * container at once ({@code kubelet.go cleanUpContainersInPod}); a status generated after the removal no longer
 * finds the container and writes it {@code Waiting} ({@code convertToAPIContainerStatuses}) or
 * {@code ContainerStatusUnknown} ({@code status_manager.go TerminatePod}), and the pod is removed with that. The
 * real node showed it once in seven runs; docs/realnode.md.
 *
 * <p>Nor does the time until the pod is gone tell whether the container stopped on its own: after the container
 * exits, the kubelet still cleans up the pod before it removes it, and a loaded node took 7.7 s for that. What
 * always tells is containerd's log. The kubelet stops the container through CRI {@code StopContainer} with the
 * rest of the grace period; containerd 1.6 logs {@code Stop container "ID" with signal ...}, waits that long for
 * the exit, and only if it did not come logs {@code Kill container "ID"} and sends SIGKILL
 * ({@code pkg/cri/server/container_stop.go}).
 */
record DeletedPodEnd(Duration deleteToGone, Duration gracePeriod, String containerId, List<String> containerdStop,
    Optional<ContainerStateTerminated> published) {
  private static final String CONTAINER_STATUS_UNKNOWN = "ContainerStatusUnknown";
  private static final String CONTAINERD_PREFIX = "containerd://";

  /** Deletes the pod and waits until the watch saw it removed. */
  static DeletedPodEnd deleteAndAwait(RealNode node, PodWatch watch, Pod pod) {
    String name = pod.getMetadata().getName();
    String containerId = RealNode.functionContainer(pod).map(ContainerStatus::getContainerID)
        .filter(id -> id.startsWith(CONTAINERD_PREFIX)).map(id -> id.substring(CONTAINERD_PREFIX.length()))
        .orElseThrow(() -> new AssertionError("no containerd id for the function container of " + name));
    Duration grace = Duration.ofSeconds(Objects.requireNonNullElse(pod.getSpec().getTerminationGracePeriodSeconds(),
        30L));
    Instant deleted = Instant.now();
    node.client().pods().inNamespace(pod.getMetadata().getNamespace()).withName(name).delete();
    Instant gone = Await.value(name + " removed from the API server", RealNode.SLOW, () -> watch.goneAt(name),
        Optional::isPresent).get();
    Optional<ContainerStateTerminated> published = watch.history(name).stream().map(RealNode::functionContainer)
        .flatMap(Optional::stream).map(s -> s.getState() == null ? null : s.getState().getTerminated())
        .filter(t -> t != null && !CONTAINER_STATUS_UNKNOWN.equals(t.getReason())).findFirst();
    return new DeletedPodEnd(Duration.between(deleted, gone), grace, containerId,
        containerdLinesAbout(node.run().resolve("containerd.log"), containerId), published);
  }

  private static List<String> containerdLinesAbout(Path log, String containerId) {
    String quoted = "\\\"" + containerId + "\\\"";
    try (var lines = Files.lines(log)) {
      return lines.filter(l -> l.contains(quoted)).filter(l -> l.contains("Stop") || l.contains("Kill")).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The container exited on its own once stopped: containerd stopped it and never had to kill it at the end of
   * the grace period.
   */
  boolean exitedWithoutKill() {
    return containerdStop.stream().anyMatch(l -> l.contains("StopContainer for") && l.contains("returns successfully"))
        && containerdStop.stream().noneMatch(l -> l.contains("msg=\"Kill container"));
  }

  @Override
  public String toString() {
    return "gone " + deleteToGone.toMillis() + " ms after the delete (grace period " + gracePeriod.toSeconds()
        + " s); containerd on " + containerId + ": " + String.join(" | ", containerdStop) + "; end published: "
        + published.map(String::valueOf).orElse("none");
  }
}
