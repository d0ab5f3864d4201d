package dev.fc.operator.reconciler;

import static dev.fc.operator.reconciler.InstanceFromPodTest.INITIALIZER_FAILED;
import static dev.fc.operator.reconciler.InstanceFromPodTest.INVOCATION_TIMEOUT;
import static dev.fc.operator.reconciler.InstanceFromPodTest.LOAD_FAILED_NO_INITIALIZER;
import static dev.fc.operator.reconciler.InstanceFromPodTest.LOG_TAIL;
import static dev.fc.operator.reconciler.InstanceFromPodTest.PROVISIONAL;
import static dev.fc.operator.reconciler.InstanceFromPodTest.STOPPED_AFTER_SERVING;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import org.junit.jupiter.api.Test;

class FailureDescriptionTest {
  private static String describe(PodStatus status) {
    return FailureDescription.of(InstanceFromPod.read(InstanceFromPodTest.pod(status)));
  }

  @Test
  void anOutOfMemoryKillNamesTheLimitWhenItHappenedAndTheFix() {
    assertThat(describe(KubeletStates.terminated("OOMKilled", 137, PROVISIONAL))).isEqualTo(
        "instance fn-abc-x1: OOMKilled: killed for exceeding its memory limit of 128 MiB (spec.memorySize)"
            + " after it had initialized; raise spec.memorySize");
    assertThat(describe(KubeletStates.terminated("OOMKilled", 137, LOG_TAIL))).isEqualTo(
        "instance fn-abc-x1: OOMKilled: killed for exceeding its memory limit of 128 MiB (spec.memorySize)"
            + " before it was initialized; raise spec.memorySize");
    Pod noLimit = InstanceFromPodTest.pod(KubeletStates.terminated("OOMKilled", 137, ""));
    noLimit.getSpec().getContainers().get(0).setResources(null);
    assertThat(FailureDescription.of(InstanceFromPod.read(noLimit)))
        .contains("OOMKilled: killed for exceeding its memory limit (spec.memorySize)")
        .doesNotContain("exited with status");
  }

  @Test
  void theRuntimesExitReasonAndMessageWhenItWroteOne() {
    assertThat(describe(KubeletStates.terminated("Error", 1, INITIALIZER_FAILED)))
        .isEqualTo("instance fn-abc-x1: InitializerFailed: Initializer index.initialize failed: ValueError: boom");
    assertThat(describe(KubeletStates.terminated("Error", 3, INVOCATION_TIMEOUT)))
        .isEqualTo("instance fn-abc-x1: InvocationTimeout: invocation ran past FC_TIMEOUT (3 s); retired");
    assertThat(describe(KubeletStates.terminated("Error", 1, LOAD_FAILED_NO_INITIALIZER)))
        .isEqualTo("instance fn-abc-x1: InitializerFailed: Could not load the function code: no index.py");
  }

  @Test
  void theKubeletsReasonWhenTheRuntimeWroteNone() {
    assertThat(describe(KubeletStates.terminated("Error", 137, PROVISIONAL))).isEqualTo(
        "instance fn-abc-x1: Error (exit status 137, SIGKILL): the runtime was killed before it could write why it"
            + " ended");
    assertThat(describe(KubeletStates.terminated("Error", 139, LOG_TAIL)))
        .isEqualTo("instance fn-abc-x1: Error (exit status 139, SIGSEGV): loading the model");
    assertThat(describe(KubeletStates.terminated("ContainerCannotRun", 128,
        "OCI runtime create failed: exec: \"python3\": executable file not found in $PATH")))
        .isEqualTo("instance fn-abc-x1: ContainerCannotRun (exit status 128): OCI runtime create failed: exec:"
            + " \"python3\": executable file not found in $PATH");
    assertThat(describe(KubeletStates.terminated("Error", 1, ""))).isEqualTo("instance fn-abc-x1: Error (exit status 1)");
  }

  @Test
  void aPodThatFailedAsAWholeSaysWhy() {
    assertThat(describe(KubeletStates.podFailed("Evicted", "The node was low on resource: memory.",
        STOPPED_AFTER_SERVING, 0))).isEqualTo("instance fn-abc-x1: Evicted: The node was low on resource: memory.");
    PodStatus rejected = new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Failed")
        .withReason("OutOfcpu").withMessage("Pod Node didn't have enough resource: cpu").build();
    assertThat(describe(rejected)).isEqualTo("instance fn-abc-x1: OutOfcpu: Pod Node didn't have enough resource: cpu");
    PodStatus bare = new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Failed").build();
    assertThat(describe(bare)).isEqualTo("instance fn-abc-x1: terminated");
  }
}
