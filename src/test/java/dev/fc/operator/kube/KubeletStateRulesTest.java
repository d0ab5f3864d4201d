package dev.fc.operator.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

/** The rules themselves, on states the real node showed. */
class KubeletStateRulesTest {
  private static Pod failedWithWaitingContainer(String deletionTimestamp) {
    return new PodBuilder().withNewMetadata().withName("p").withDeletionTimestamp(deletionTimestamp).endMetadata()
        .withNewSpec().withRestartPolicy("Never").endSpec()
        .withNewStatus().withPhase("Failed").withContainerStatuses(new ContainerStatusBuilder().withName("function")
            .withStarted(false).withReady(false).withNewState().withNewWaiting().withReason("ContainerCreating")
            .endWaiting().endState().build()).endStatus().build();
  }

  @Test
  void aDeletedPodsContainerMayBeWaitingInPhaseFailedAsKubelet120WritesIt() {
    assertThat(KubeletStateRules.violations(failedWithWaitingContainer("2026-12-02T11:00:00Z"))).isEmpty();
  }

  @Test
  void aPodNotBeingDeletedInPhaseFailedHasEveryContainerTerminated() {
    assertThat(KubeletStateRules.violations(failedWithWaitingContainer(null)))
        .containsExactly("phase Failed with a container not terminated");
  }

  @Test
  void aWaitingContainerIsNeverReady() {
    Pod pod = failedWithWaitingContainer("2026-12-02T11:00:00Z");
    pod.getStatus().getContainerStatuses().get(0).setReady(true);
    assertThat(KubeletStateRules.violations(pod)).anyMatch(v -> v.contains("waiting but started=false ready=true"));
  }
}
