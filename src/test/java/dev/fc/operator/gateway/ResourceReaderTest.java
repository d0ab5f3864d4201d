package dev.fc.operator.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fc.operator.api.BackoffStatus;
import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.api.FunctionInstanceSpec;
import dev.fc.operator.api.FunctionInstanceStatus;
import dev.fc.operator.api.HandlerType;
import dev.fc.operator.api.InstanceLifecycleConfig;
import dev.fc.operator.api.InstancePhase;
import dev.fc.operator.api.LifecycleHook;
import dev.fc.operator.contract.LifecycleEndpoints;
import dev.fc.operator.contract.RuntimeContainer;
import dev.fc.operator.contract.RuntimePorts;
import dev.fc.operator.desired.Labels;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** FunctionInstances and pods, as the informers see them, read into the directory's records. */
class ResourceReaderTest {

  private static FunctionInstance fi(FunctionInstanceSpec spec) {
    FunctionInstance fi = new FunctionInstance();
    fi.setMetadata(new ObjectMetaBuilder().withNamespace("ns").withName("f").withUid("uid-1").build());
    fi.setSpec(spec);
    return fi;
  }

  @Test
  void aFunctionWithDefaultsAndNoInitializer() {
    FunctionInstanceSpec spec = new FunctionInstanceSpec();
    spec.setHandler("index.handler");
    spec.setInstances(3);
    RoutedFunction f = ResourceReader.function(fi(spec));
    assertThat(f).isEqualTo(new RoutedFunction(new FunctionKey("ns", "f"), "uid-1", HandlerType.EVENT, 1, 3, 0, 3,
        null));
  }

  @Test
  void anElasticHttpFunctionWithAnInitializerAndABackoff() {
    FunctionInstanceSpec spec = new FunctionInstanceSpec();
    spec.setHandler("index.handler");
    spec.setHandlerType("http");
    spec.setTimeout(7);
    spec.setInstanceConcurrency(4);
    spec.setMaxInstances(12);
    spec.setInstances(1); // ignored: elastic
    spec.setInstanceLifecycleConfig(new InstanceLifecycleConfig(new LifecycleHook("index.init", 9), null));
    FunctionInstance fi = fi(spec);
    BackoffStatus backoff = new BackoffStatus(2, 20L, "2026-01-01T00:00:30Z", "instance f-x: boom");
    backoff.setLastFailurePhase("InitializerFailed");
    fi.setStatus(new FunctionInstanceStatus());
    fi.getStatus().setBackoff(backoff);
    RoutedFunction f = ResourceReader.function(fi);
    assertThat(f.handlerType()).isEqualTo(HandlerType.HTTP);
    assertThat(f.instanceConcurrency()).isEqualTo(4);
    assertThat(f.timeoutSeconds()).isEqualTo(7);
    assertThat(f.initializerTimeoutSeconds()).isEqualTo(9);
    assertThat(f.holdBound().toSeconds()).isEqualTo(16);
    assertThat(f.maxInstances()).isEqualTo(12);
    assertThat(f.backoff()).isEqualTo(new InitializerBackoff(Instant.parse("2026-01-01T00:00:30Z"),
        "instance f-x: boom", "InitializerFailed"));
  }

  private static PodBuilder pod(String ownerUid) {
    return new PodBuilder().withNewMetadata().withNamespace("ns").withName("f-abc")
        .addToLabels(Labels.FUNCTION, "f")
        .addNewOwnerReference().withUid(ownerUid).withController(true).withKind("FunctionInstance").withName("f")
        .endOwnerReference().endMetadata()
        .withNewSpec().addNewContainer().withName(RuntimeContainer.NAME)
        .addNewPort().withName(RuntimePorts.INVOKE_NAME).withContainerPort(9100).endPort().endContainer().endSpec();
  }

  @Test
  void aReadyPodWithItsInvokePort() {
    Pod pod = pod("uid-1").withNewStatus().withPodIP("10.0.0.7")
        .addNewCondition().withType("Ready").withStatus("True").withLastTransitionTime("2026-01-01T00:00:01Z")
        .endCondition()
        .addNewContainerStatus().withName(RuntimeContainer.NAME).withNewState().withNewRunning().endRunning()
        .endState().endContainerStatus().endStatus().build();
    assertThat(ResourceReader.functionOf(pod)).contains(new FunctionKey("ns", "f"));
    assertThat(ResourceReader.controlledBy(pod, "uid-1")).isTrue();
    assertThat(ResourceReader.controlledBy(pod, "uid-2")).isFalse();
    RoutedInstance instance = ResourceReader.instance(pod);
    assertThat(instance).isEqualTo(new RoutedInstance("f-abc", "10.0.0.7", 9100, true, false, null, null, null));
    assertThat(instance.serving()).isTrue();
    assertThat(instance.address()).isEqualTo("10.0.0.7:9100");
  }

  @Test
  void aPodWhoseInitializerFailedCarriesTheRuntimesMessage() {
    Pod pod = pod("uid-1").withNewStatus().withPodIP("10.0.0.7").withPhase("Failed")
        .addNewContainerStatus().withName(RuntimeContainer.NAME).withNewState().withNewTerminated().withExitCode(1)
        .withReason("Error").withMessage("{\"exitReason\":\"InitializerFailed\",\"message\":\"Initializer"
            + " index.initialize failed: ValueError: boom\",\"initialized\":false}")
        .endTerminated().endState().endContainerStatus().endStatus().build();
    RoutedInstance instance = ResourceReader.instance(pod);
    assertThat(instance.terminatedPhase()).isEqualTo(InstancePhase.InitializerFailed);
    assertThat(instance.terminationMessage()).isEqualTo("Initializer index.initialize failed: ValueError: boom");
    assertThat(instance.serving()).isFalse();
  }

  @Test
  void withoutANamedPortTheDefaultOne() {
    Pod pod = new PodBuilder(pod("uid-1").build()).editSpec().editFirstContainer().withPorts().endContainer()
        .endSpec().build();
    assertThat(ResourceReader.invokePort(pod)).isEqualTo(RuntimePorts.INVOKE);
  }

  private static Pod runningNotReady(String token) {
    PodBuilder pod = new PodBuilder(pod("uid-1").build()).editSpec().editFirstContainer()
        .addNewPort().withName(RuntimePorts.LIFECYCLE_NAME).withContainerPort(9101).endPort()
        .withNewStartupProbe().withNewHttpGet().withPath(LifecycleEndpoints.STARTUP)
        .withPort(new IntOrString(RuntimePorts.LIFECYCLE_NAME))
        .addNewHttpHeader().withName(LifecycleEndpoints.TOKEN_HEADER).withValue(token).endHttpHeader()
        .endHttpGet().endStartupProbe().endContainer().endSpec();
    return pod.withNewStatus().withPodIP("10.0.0.7")
        .addNewCondition().withType("Ready").withStatus("False").endCondition()
        .addNewContainerStatus().withName(RuntimeContainer.NAME).withNewState().withNewRunning().endRunning()
        .endState().endContainerStatus().endStatus().build();
  }

  @Test
  void aRunningPodNotReadyYetIsInitializingWithItsLifecycleAddressAndToken() {
    RoutedInstance instance = ResourceReader.instance(runningNotReady("the-pods-secret"));
    assertThat(instance.serving()).isFalse();
    assertThat(instance.initializing()).isTrue();
    assertThat(instance.startup()).isEqualTo(new StartupEndpoint("10.0.0.7", 9101, "the-pods-secret"));
    assertThat(instance.startup().uri()).hasToString("http://10.0.0.7:9101" + LifecycleEndpoints.STARTUP);
    assertThat(instance.toString()).as("the token is never shown").doesNotContain("the-pods-secret")
        .contains("10.0.0.7:9101");
  }

  @Test
  void withoutTheStartupProbesTokenOrWithThePlaceholderNoStartupEndpoint() {
    Pod placeholder = runningNotReady(LifecycleEndpoints.TOKEN_PLACEHOLDER);
    Pod noHeader = new PodBuilder(placeholder).editSpec().editFirstContainer().editStartupProbe().editHttpGet()
        .withHttpHeaders().endHttpGet().endStartupProbe().endContainer().endSpec().build();
    for (Pod pod : java.util.List.of(placeholder, noHeader)) {
      RoutedInstance instance = ResourceReader.instance(pod);
      assertThat(instance.startup()).isNull();
      assertThat(instance.initializing()).isFalse();
      assertThat(instance.serving()).isFalse();
    }
  }

  @Test
  void aReadyTerminatingOrNotRunningPodHasNoStartupEndpoint() {
    Pod initializing = runningNotReady("the-pods-secret");
    Pod ready = new PodBuilder(initializing).editStatus().editFirstCondition().withStatus("True").endCondition()
        .endStatus().build();
    Pod terminating = new PodBuilder(initializing).editMetadata().withDeletionTimestamp("2026-01-01T00:00:05Z")
        .endMetadata().build();
    Pod waiting = new PodBuilder(initializing).editStatus().editFirstContainerStatus().withNewState()
        .withNewWaiting().withReason("ContainerCreating").endWaiting().endState().endContainerStatus().endStatus()
        .build();
    Pod noIp = new PodBuilder(initializing).editStatus().withPodIP(null).endStatus().build();
    for (Pod pod : java.util.List.of(ready, terminating, waiting, noIp)) {
      assertThat(ResourceReader.instance(pod).startup()).isNull();
    }
    assertThat(ResourceReader.lifecyclePort(new PodBuilder(initializing).editSpec().editFirstContainer()
        .withPorts().endContainer().endSpec().build())).isEqualTo(RuntimePorts.LIFECYCLE);
  }
}
