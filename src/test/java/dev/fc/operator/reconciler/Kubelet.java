package dev.fc.operator.reconciler;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;

/**
 * Plays the kubelet's part in mock-server tests, writing only pod statuses a real kubelet (1.20) writes
 * ({@link KubeletStates}): {@code started} is true only for a running container whose startup probe has
 * succeeded; the pod's Ready condition is True only for a started, ready container; a terminated
 * container always has {@code started: false, ready: false}, the kubelet's reason ({@code Completed},
 * {@code Error}, {@code OOMKilled}) and the termination message, or the log's tail when the runtime wrote
 * none.
 */
final class Kubelet {
  private final KubernetesClient client;

  Kubelet(KubernetesClient client) {
    this.client = client;
  }

  /** Container running, startup probe (the Initializer) not yet succeeded. */
  Pod initializing(Pod pod) {
    return write(pod, KubeletStates.initializing(Instant.now()));
  }

  /** Initializer succeeded and the readiness probe passes, since {@code readySince}. */
  Pod ready(Pod pod, Instant readySince) {
    return write(pod, KubeletStates.ready(readySince));
  }

  Pod ready(Pod pod) {
    return ready(pod, Instant.now());
  }

  /**
   * The container exited with {@code exitCode} (reason {@code Completed} for 0, else {@code Error}),
   * leaving {@code terminationMessage}: the runtime's JSON, or the log's tail.
   */
  Pod terminated(Pod pod, int exitCode, String terminationMessage) {
    return write(pod, KubeletStates.terminated(exitCode == 0 ? "Completed" : "Error", exitCode, terminationMessage));
  }

  /** The kernel killed the container for exceeding its memory limit. */
  Pod oomKilled(Pod pod, String terminationMessage) {
    return write(pod, KubeletStates.terminated(Termination.OOM_KILLED, 137, terminationMessage));
  }

  private Pod write(Pod pod, PodStatus status) {
    Pod fresh = client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).get();
    fresh.setStatus(status);
    return client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(fresh).updateStatus();
  }
}
