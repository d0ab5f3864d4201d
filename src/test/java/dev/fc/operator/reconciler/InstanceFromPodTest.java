package dev.fc.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fc.operator.api.FunctionInstanceStatus;
import dev.fc.operator.api.HookOutcome;
import dev.fc.operator.api.InstancePhase;
import dev.fc.operator.api.InstanceStatus;
import dev.fc.operator.contract.RuntimeContainer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The pod-to-instance mapping over the pod states a real kubelet reports ({@link KubeletStates}), and no other. */
class InstanceFromPodTest {
  static final Instant T = Instant.parse("2026-01-01T00:00:10Z");

  // What the runtime writes (docs/runtime-contract.md)
  static final String INITIALIZER_FAILED = """
      {"exitReason":"InitializerFailed","message":"Initializer index.initialize failed: ValueError: boom",\
      "initialized":false,"initializer":{"status":"failed","durationMs":12,"error":"ValueError: boom"}}""";
  static final String INITIALIZER_TIMEOUT = """
      {"exitReason":"InitializerTimeout","message":"Initializer index.initialize timed out after 3 seconds",\
      "initialized":false,"initializer":{"status":"timeout","durationMs":3001}}""";
  static final String LOAD_FAILED_NO_INITIALIZER = """
      {"exitReason":"InitializerFailed","message":"Could not load the function code: no index.py",\
      "initialized":false,"error":"Handler \\"index.handler\\": file /code/index.py not found"}""";
  static final String INVOCATION_TIMEOUT = """
      {"exitReason":"InvocationTimeout","message":"invocation ran past FC_TIMEOUT (3 s); retired",\
      "initialized":true,"initializer":{"status":"succeeded","durationMs":5},"preStop":{"status":"succeeded"}}""";
  static final String STOPPED_AFTER_SERVING = """
      {"exitReason":"Stopped","message":"Stopped by SIGTERM","initialized":true}""";
  static final String STOPPED_WHILE_INITIALIZING = """
      {"exitReason":"Stopped","message":"Stopped by SIGTERM","initialized":false,\
      "initializer":{"status":"interrupted","durationMs":800}}""";
  static final String RUNTIME_FAILED = """
      {"exitReason":"RuntimeFailed","message":"bad configuration: FC_TIMEOUT is not an integer"}""";
  static final String PROVISIONAL = """
      {"message":"the runtime was killed before it could write why it ended","initialized":true,\
      "initializer":{"status":"succeeded","durationMs":5},"preStop":{"status":"skipped"}}""";
  static final String PROVISIONAL_NO_INITIALIZER = """
      {"message":"the runtime was killed before it could write why it ended","initialized":true}""";
  // from a runtime that did not write "initialized" yet
  static final String OLD_INVOCATION_TIMEOUT = """
      {"exitReason":"InvocationTimeout","message":"invocation ran past FC_TIMEOUT (3 s); retired"}""";
  static final String OLD_STOPPED_INITIALIZED = """
      {"exitReason":"Stopped","message":"Stopped by SIGTERM","initializer":{"status":"succeeded","durationMs":5}}""";
  // the kubelet's fallback when the file is empty and the container failed
  static final String LOG_TAIL = "FC Initialize Start RequestId: 6a1f\nloading the model\n";

  static Pod pod(PodStatus status) {
    return new PodBuilder()
        .withNewMetadata().withName("fn-abc-x1").withUid("u1").withCreationTimestamp("2026-01-01T00:00:00Z")
        .addToLabels("fc.dev/template-hash", "abc").endMetadata()
        .withNewSpec().addNewContainer().withName(RuntimeContainer.NAME)
        .withNewResources().addToLimits("memory", new Quantity("128Mi")).endResources().endContainer().endSpec()
        .withStatus(status)
        .build();
  }

  static Arguments ended(String what, PodStatus status, boolean seenReady, InstancePhase expected) {
    return Arguments.of(what, status, seenReady, expected);
  }

  static Stream<Arguments> endedContainers() {
    InstancePhase failed = InstancePhase.InitializerFailed;
    InstancePhase retired = InstancePhase.Retired;
    return Stream.of(
        ended("Initializer raised", KubeletStates.terminated("Error", 1, INITIALIZER_FAILED), false, failed),
        ended("Initializer timed out", KubeletStates.terminated("Error", 2, INITIALIZER_TIMEOUT), false, failed),
        ended("code did not load", KubeletStates.terminated("Error", 1, LOAD_FAILED_NO_INITIALIZER), false, failed),
        ended("runtime could not start", KubeletStates.terminated("Error", 4, RUNTIME_FAILED), false, failed),
        ended("SIGTERM while initializing", KubeletStates.terminated("Completed", 0, STOPPED_WHILE_INITIALIZING),
            false, failed),
        ended("OOM kill while initializing: log tail", KubeletStates.terminated("OOMKilled", 137, LOG_TAIL), false,
            failed),
        ended("SIGKILL while initializing: log tail", KubeletStates.terminated("Error", 137, LOG_TAIL), false, failed),
        ended("could not run: runtime error text", KubeletStates.terminated("ContainerCannotRun", 128,
            "OCI runtime create failed: exec: \"python3\": executable file not found in $PATH"), false, failed),
        ended("nothing at all", KubeletStates.terminated("Error", 1, ""), false, failed),
        ended("retired after an invocation timeout", KubeletStates.terminated("Error", 3, INVOCATION_TIMEOUT),
            false, retired),
        ended("stopped by SIGTERM after serving, not deleted", KubeletStates.terminated("Completed", 0,
            STOPPED_AFTER_SERVING), false, retired),
        ended("OOM kill after initializing", KubeletStates.terminated("OOMKilled", 137, PROVISIONAL), false, retired),
        ended("OOM kill after loading, no Initializer", KubeletStates.terminated("OOMKilled", 137,
            PROVISIONAL_NO_INITIALIZER), false, retired),
        ended("SIGKILL after initializing", KubeletStates.terminated("Error", 137, PROVISIONAL), false, retired),
        ended("older runtime: invocation timeout", KubeletStates.terminated("Error", 3, OLD_INVOCATION_TIMEOUT),
            false, retired),
        ended("older runtime: Initializer succeeded", KubeletStates.terminated("Completed", 0,
            OLD_STOPPED_INITIALIZED), false, retired),
        ended("no JSON, but seen ready before", KubeletStates.terminated("OOMKilled", 137, LOG_TAIL), true, retired),
        ended("nothing at all, but seen ready before", KubeletStates.terminated("Error", 137, ""), true, retired),
        ended("the runtime's Initializer failure wins over history",
            KubeletStates.terminated("Error", 1, INITIALIZER_FAILED), true, failed),
        ended("evicted after serving", KubeletStates.podFailed("Evicted",
            "The node was low on resource: memory.", STOPPED_AFTER_SERVING, 0), false, retired),
        ended("evicted while initializing", KubeletStates.podFailed("Evicted",
            "The node was low on resource: memory.", "", 137), false, failed));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("endedContainers")
  void anEndedContainerIsClassifiedFromTheRuntimesMessageAndTheHistoryNeverFromStarted(String what,
      PodStatus status, boolean seenReady, InstancePhase expected) {
    assertThat(status.getContainerStatuses().get(0).getStarted()).as("a real kubelet's terminated state").isFalse();
    InstanceHistory history = seenReady ? new InstanceHistory(Set.of("fn-abc-x1")) : InstanceHistory.NONE;
    ObservedInstance instance = InstanceFromPod.read(pod(status), history);
    assertThat(instance.phase()).isEqualTo(expected);
    assertThat(instance.terminated()).isTrue();
    assertThat(instance.live()).isFalse();
    assertThat(instance.termination().memoryLimitMiB()).isEqualTo(128L);
    // the operator's cache keeps all that is read
    assertThat(InstanceFromPod.read(CachePruning.pod(pod(status)), history)).usingRecursiveComparison()
        .ignoringFields("pod").isEqualTo(instance);
  }

  @Test
  void theKubeletsReasonExitCodeAndPodFailureAreKept() {
    Termination oom = InstanceFromPod.read(pod(KubeletStates.terminated("OOMKilled", 137, PROVISIONAL)))
        .termination();
    assertThat(oom.oomKilled()).isTrue();
    assertThat(oom.exitCode()).isEqualTo(137);
    assertThat(oom.message().exitReason()).isNull();
    assertThat(oom.message().initializer().getStatus()).isEqualTo("succeeded");

    Termination evicted = InstanceFromPod.read(pod(KubeletStates.podFailed("Evicted",
        "The node was low on resource: memory.", STOPPED_AFTER_SERVING, 0))).termination();
    assertThat(evicted.podReason()).isEqualTo("Evicted");
    assertThat(evicted.podMessage()).isEqualTo("The node was low on resource: memory.");
    assertThat(evicted.message().exitReason()).isEqualTo("Stopped");

    PodStatus rejected = new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Failed")
        .withReason("OutOfcpu").withMessage("Pod Node didn't have enough resource: cpu").build();
    ObservedInstance never = InstanceFromPod.read(pod(rejected));
    assertThat(never.phase()).isEqualTo(InstancePhase.InitializerFailed);
    assertThat(never.termination().exitCode()).isNull();
    assertThat(never.termination().podReason()).isEqualTo("OutOfcpu");
  }

  @Test
  void runningStates() {
    assertThat(InstanceFromPod.read(pod(null)).phase()).isEqualTo(InstancePhase.Pending);
    assertThat(InstanceFromPod.read(pod(KubeletStates.pending())).phase()).isEqualTo(InstancePhase.Pending);
    ObservedInstance initializing = InstanceFromPod.read(pod(KubeletStates.initializing(T)));
    assertThat(initializing.phase()).isEqualTo(InstancePhase.Initializing);
    assertThat(initializing.termination()).isNull();
    ObservedInstance ready = InstanceFromPod.read(pod(KubeletStates.ready(T)));
    assertThat(ready.phase()).isEqualTo(InstancePhase.Ready);
    assertThat(ready.readySince()).isEqualTo(T);
    ObservedInstance notReady = InstanceFromPod.read(pod(KubeletStates.startedNotReady(T)));
    assertThat(notReady.ready()).isFalse();
    assertThat(notReady.live()).isTrue();
    for (PodStatus status : List.of(KubeletStates.pending(), KubeletStates.initializing(T), KubeletStates.ready(T))) {
      assertThat(InstanceFromPod.read(CachePruning.pod(pod(status))).phase())
          .isEqualTo(InstanceFromPod.read(pod(status)).phase());
    }
  }

  @Test
  void aPodBeingDeletedIsTerminatingWhateverItsContainerSays() {
    for (PodStatus status : List.of(KubeletStates.ready(T), KubeletStates.terminated("Error", 1, INITIALIZER_FAILED),
        KubeletStates.terminated("Completed", 0, STOPPED_AFTER_SERVING))) {
      Pod pod = pod(status);
      pod.getMetadata().setDeletionTimestamp("2026-01-01T00:01:00Z");
      assertThat(InstanceFromPod.read(pod).phase()).isEqualTo(InstancePhase.Terminating);
    }
    Pod stopped = pod(KubeletStates.terminated("Completed", 0, STOPPED_AFTER_SERVING));
    stopped.getMetadata().setDeletionTimestamp("2026-01-01T00:01:00Z");
    assertThat(InstanceFromPod.read(stopped).terminationMessage().exitReason()).isEqualTo("Stopped");
  }

  @Test
  void theIdentityTemplateAndCreationTimeComeFromTheMetadata() {
    ObservedInstance ready = InstanceFromPod.read(pod(KubeletStates.ready(T)));
    assertThat(ready).extracting(ObservedInstance::name, ObservedInstance::uid, ObservedInstance::templateHash,
        ObservedInstance::created).containsExactly("fn-abc-x1", "u1", "abc", Instant.parse("2026-01-01T00:00:00Z"));
    Pod bare = pod(KubeletStates.ready(T));
    bare.getMetadata().setLabels(null);
    bare.getMetadata().setCreationTimestamp(null);
    assertThat(InstanceFromPod.read(bare)).extracting(ObservedInstance::templateHash, ObservedInstance::created)
        .containsExactly(null, null);
  }

  @Test
  void aDeletedPodWhoseContainerStillRunsHasNoTermination() {
    Pod pod = pod(KubeletStates.ready(T));
    pod.getMetadata().setDeletionTimestamp("2026-01-01T00:01:00Z");
    ObservedInstance going = InstanceFromPod.read(pod);
    assertThat(going.termination()).isNull();
    assertThat(going.readySince()).as("not ready any more").isNull();
    assertThat(going.live()).isFalse();
  }

  @Test
  void onlyTheFunctionContainersStateCounts() {
    PodStatus status = KubeletStates.initializing(T);
    status.getContainerStatuses().get(0).setName("sidecar");
    assertThat(InstanceFromPod.read(pod(status)).phase()).as("a running sidecar is not the function")
        .isEqualTo(InstancePhase.Pending);
    PodStatus ended = KubeletStates.terminated("Error", 1, INITIALIZER_FAILED);
    ended.getContainerStatuses().get(0).setName("sidecar");
    ended.setPhase("Running");
    assertThat(InstanceFromPod.read(pod(ended)).termination()).as("a terminated sidecar is not the function's end")
        .isNull();
  }

  /** A custom runtime's pod: the user's server in "function", the adapter (which carries the contract) beside it. */
  static Pod customPod(PodStatus adapter, io.fabric8.kubernetes.api.model.ContainerStatus server) {
    adapter.getContainerStatuses().get(0).setName(RuntimeContainer.ADAPTER_NAME);
    adapter.getContainerStatuses().add(server);
    Pod pod = pod(adapter); // the builder copies the status
    pod.getSpec().getContainers().add(new io.fabric8.kubernetes.api.model.ContainerBuilder()
        .withName(RuntimeContainer.ADAPTER_NAME).build());
    return pod;
  }

  @Test
  void inACustomRuntimesPodTheAdapterSaysHowTheInstanceStandsAndEitherContainersEndEndsIt() {
    var serverRunning = KubeletStates.initializing(T).getContainerStatuses().get(0);
    var serverEnded = KubeletStates.terminated("Error", 1, "Traceback: listen failed").getContainerStatuses().get(0);

    assertThat(InstanceFromPod.read(customPod(KubeletStates.pending(), serverRunning)).phase())
        .as("the adapter has not started: a running server alone is not an initializing instance")
        .isEqualTo(InstancePhase.Pending);
    assertThat(InstanceFromPod.read(customPod(KubeletStates.initializing(T), serverRunning)).phase())
        .isEqualTo(InstancePhase.Initializing);

    PodStatus adapterFailed = KubeletStates.terminated("Error", 1, INITIALIZER_FAILED);
    adapterFailed.setPhase("Running"); // the server still runs: the pod has not failed as a whole
    ObservedInstance failed = InstanceFromPod.read(customPod(adapterFailed, serverRunning));
    assertThat(failed.phase()).isEqualTo(InstancePhase.InitializerFailed);
    assertThat(failed.termination().message().exitReason()).isEqualTo("InitializerFailed");

    PodStatus adapterRuns = KubeletStates.initializing(T);
    ObservedInstance serverGone = InstanceFromPod.read(customPod(adapterRuns, serverEnded));
    assertThat(serverGone.termination()).as("the user's server exited: with restartPolicy Never the instance is over")
        .isNotNull();
    assertThat(serverGone.termination().exitCode()).isEqualTo(1);
    assertThat(serverGone.termination().memoryLimitMiB()).as("the function container's limit").isEqualTo(128L);
  }

  @Test
  void aReadyConditionWithoutATransitionTimeCountsAsReadyForever() {
    PodStatus status = KubeletStates.ready(T);
    status.getConditions().get(0).setLastTransitionTime(null);
    ObservedInstance ready = InstanceFromPod.read(pod(status));
    assertThat(ready.phase()).isEqualTo(InstancePhase.Ready);
    assertThat(ready.readySince()).isEqualTo(Instant.EPOCH);
    PodStatus notReady = KubeletStates.ready(T);
    notReady.getConditions().get(0).setType("ContainersReady");
    assertThat(InstanceFromPod.read(pod(notReady)).phase()).as("only the Ready condition makes an instance ready")
        .isEqualTo(InstancePhase.Initializing);
  }

  @Test
  void aPodThatSucceededWithoutAContainerStateHasEnded() {
    PodStatus succeeded = new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Succeeded").build();
    ObservedInstance instance = InstanceFromPod.read(pod(succeeded));
    assertThat(instance.terminated()).isTrue();
    assertThat(instance.termination().exitCode()).isNull();
  }

  @Test
  void historyCountsInstancesOnceSeenReadyRetiredOrWithASucceededInitializer() {
    FunctionInstanceStatus previous = new FunctionInstanceStatus();
    previous.setInstanceStatuses(List.of(
        instance("a", "Ready", null), instance("b", "Retired", null), instance("c", "Terminating", "succeeded"),
        instance("d", "Initializing", null), instance("e", "InitializerFailed", "failed"), instance("f", "Pending",
            null)));
    InstanceHistory history = InstanceHistory.of(previous);
    assertThat(List.of("a", "b", "c", "d", "e", "f")).filteredOn(history::seenInitialized)
        .containsExactly("a", "b", "c");
    assertThat(InstanceHistory.of(null).seenInitialized("a")).isFalse();
    assertThat(InstanceHistory.of(new FunctionInstanceStatus()).seenInitialized("a")).isFalse();
  }

  private static InstanceStatus instance(String name, String phase, String initializer) {
    InstanceStatus status = new InstanceStatus();
    status.setPodName(name);
    status.setPhase(phase);
    status.setInitializer(initializer == null ? null : new HookOutcome(initializer, null, null));
    return status;
  }
}
