package dev.fc.operator.reconciler;

import dev.fc.operator.contract.RuntimeContainer;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.time.Instant;

/**
 * The pod statuses a real kubelet (1.20) writes for a function pod ({@code restartPolicy: Never}, one
 * container with a startup and a readiness probe), and no other: the prober sets {@code started} only for
 * a running container (false until the startup probe succeeds, and false again once it terminated); the
 * pod is Ready only when its container is started and ready; a terminated container is neither.
 */
final class KubeletStates {
  private KubeletStates() {}

  /** Scheduled, the container not created yet (image pull, init container). */
  static PodStatus pending() {
    return new PodStatusBuilder().withPhase("Pending")
        .withConditions(condition("Ready", false, null))
        .withContainerStatuses(new ContainerStatusBuilder().withName(RuntimeContainer.NAME)
            .withStarted(false).withReady(false)
            .withNewState().withNewWaiting().withReason("ContainerCreating").endWaiting().endState()
            .build())
        .build();
  }

  /** Running, startup probe not yet succeeded. */
  static PodStatus initializing(Instant startedAt) {
    return running(startedAt, false, false, null);
  }

  /** Started (the Initializer succeeded) and ready since {@code readySince}. */
  static PodStatus ready(Instant readySince) {
    return running(readySince, true, true, readySince);
  }

  /** Started, but its readiness probe fails (stopping, retiring). */
  static PodStatus startedNotReady(Instant startedAt) {
    return running(startedAt, true, false, null);
  }

  private static PodStatus running(Instant startedAt, boolean started, boolean ready, Instant readySince) {
    return new PodStatusBuilder().withPhase("Running")
        .withConditions(condition("Ready", ready, readySince))
        .withContainerStatuses(new ContainerStatusBuilder().withName(RuntimeContainer.NAME)
            .withStarted(started).withReady(ready)
            .withNewState().withNewRunning().withStartedAt(startedAt.toString()).endRunning().endState()
            .build())
        .build();
  }

  /**
   * The container ended: {@code started} and {@code ready} false, pod phase Succeeded (exit 0) or Failed.
   *
   * @param reason the kubelet's: {@code Completed}, {@code Error}, {@code OOMKilled}, {@code ContainerCannotRun}
   * @param message the runtime's termination message, or (file empty, container failed) the log's tail
   */
  static PodStatus terminated(String reason, int exitCode, String message) {
    return new PodStatusBuilder().withPhase(exitCode == 0 ? "Succeeded" : "Failed")
        .withConditions(condition("Ready", false, null))
        .withContainerStatuses(new ContainerStatusBuilder().withName(RuntimeContainer.NAME)
            .withStarted(false).withReady(false)
            .withNewState().withNewTerminated().withReason(reason).withExitCode(exitCode).withMessage(message)
            .withStartedAt(Instant.now().minusSeconds(5).toString()).withFinishedAt(Instant.now().toString())
            .endTerminated().endState()
            .build())
        .build();
  }

  /** The pod failed as a whole ({@code Evicted}, ...), its container killed by the kubelet. */
  static PodStatus podFailed(String reason, String message, String containerMessage, int exitCode) {
    PodStatus status = terminated("Error", exitCode, containerMessage);
    status.setPhase("Failed");
    status.setReason(reason);
    status.setMessage(message);
    return status;
  }

  private static io.fabric8.kubernetes.api.model.PodCondition condition(String type, boolean value, Instant since) {
    return new PodConditionBuilder().withType(type).withStatus(value ? "True" : "False")
        .withReason(value ? null : "ContainersNotReady")
        .withLastTransitionTime((since == null ? Instant.now() : since).toString()).build();
  }
}
