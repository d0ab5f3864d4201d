package dev.fc.operator.reconciler;

import dev.fc.operator.desired.FunctionPodFactory;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;

/** Plays the kubelet's part in mock-server tests: writes the pod statuses a kubelet would. */
final class Kubelet {
  private final KubernetesClient client;

  Kubelet(KubernetesClient client) {
    this.client = client;
  }

  /** Container running, startup probe (the Initializer) not yet succeeded. */
  Pod initializing(Pod pod) {
    return write(pod, new PodStatusBuilder().withPhase("Running")
        .withContainerStatuses(new ContainerStatusBuilder().withName(FunctionPodFactory.CONTAINER_NAME)
            .withStarted(false).withReady(false)
            .withNewState().withNewRunning().withStartedAt(Instant.now().toString()).endRunning().endState()
            .build())
        .build());
  }

  /** Initializer succeeded and the readiness probe passes, since {@code readySince}. */
  Pod ready(Pod pod, Instant readySince) {
    return write(pod, new PodStatusBuilder().withPhase("Running")
        .withConditions(new PodConditionBuilder().withType("Ready").withStatus("True")
            .withLastTransitionTime(readySince.toString()).build())
        .withContainerStatuses(new ContainerStatusBuilder().withName(FunctionPodFactory.CONTAINER_NAME)
            .withStarted(true).withReady(true)
            .withNewState().withNewRunning().withStartedAt(readySince.toString()).endRunning().endState()
            .build())
        .build());
  }

  Pod ready(Pod pod) {
    return ready(pod, Instant.now());
  }

  /** The container exited before its startup probe succeeded, leaving {@code terminationMessage}. */
  Pod terminated(Pod pod, int exitCode, String terminationMessage) {
    return terminated(pod, false, exitCode, terminationMessage);
  }

  /** The container exited after it had been initialized (started), leaving {@code terminationMessage}. */
  Pod terminatedAfterServing(Pod pod, int exitCode, String terminationMessage) {
    return terminated(pod, true, exitCode, terminationMessage);
  }

  private Pod terminated(Pod pod, boolean started, int exitCode, String terminationMessage) {
    return write(pod, new PodStatusBuilder().withPhase("Failed")
        .withContainerStatuses(new ContainerStatusBuilder().withName(FunctionPodFactory.CONTAINER_NAME)
            .withStarted(started).withReady(false)
            .withNewState().withNewTerminated().withExitCode(exitCode).withMessage(terminationMessage)
            .withFinishedAt(Instant.now().toString()).endTerminated().endState()
            .build())
        .build());
  }

  private Pod write(Pod pod, io.fabric8.kubernetes.api.model.PodStatus status) {
    Pod fresh = client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).get();
    fresh.setStatus(status);
    return client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(fresh).updateStatus();
  }
}
