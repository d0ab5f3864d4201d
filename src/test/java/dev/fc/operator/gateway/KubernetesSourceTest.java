package dev.fc.operator.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fc.operator.Await;
import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.api.FunctionInstanceSpec;
import dev.fc.operator.contract.LifecycleEndpoints;
import dev.fc.operator.contract.RuntimeContainer;
import dev.fc.operator.contract.RuntimePorts;
import dev.fc.operator.desired.Labels;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** The informers fill the directory: functions, their controlled pods (also pods seen first), deletions. */
@EnableKubernetesMockClient(crud = true)
class KubernetesSourceTest {
  static KubernetesClient client;

  private static Pod pod(String name, String function, String ownerUid, boolean ready) {
    return new PodBuilder().withNewMetadata().withNamespace("ns").withName(name)
        .addToLabels(Labels.owned(function, Labels.Components.INSTANCE))
        .addNewOwnerReference().withApiVersion("fc.dev/v1alpha1").withKind("FunctionInstance").withName(function)
        .withUid(ownerUid).withController(true).endOwnerReference().endMetadata()
        .withNewSpec().addNewContainer().withName(RuntimeContainer.NAME).withImage("python").endContainer().endSpec()
        .withNewStatus().withPodIP("10.0.0.9")
        .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
        .addNewContainerStatus().withName(RuntimeContainer.NAME).withNewState().withNewRunning().endRunning()
        .endState().endContainerStatus().endStatus().build();
  }

  @Test
  void functionsAndTheirControlledPodsReachTheDirectory() {
    var timers = Executors.newSingleThreadScheduledExecutor();
    InstanceDirectory directory = new InstanceDirectory(Clock.systemUTC(), Timers.on(timers),
        InstanceDirectory.DirectoryEvents.NONE);
    FunctionInstance fi = new FunctionInstance();
    fi.setMetadata(new ObjectMetaBuilder().withNamespace("ns").withName("f").build());
    FunctionInstanceSpec spec = new FunctionInstanceSpec();
    spec.setHandler("index.handler");
    fi.setSpec(spec);
    FunctionKey key = new FunctionKey("ns", "f");
    // listed together with its function: found whichever informer lists first
    client.resource(pod("f-early", "f", "will-not-match", true)).create();
    FunctionInstance created = client.resource(fi).create();
    String uid = created.getMetadata().getUid();
    client.resource(new PodBuilder(pod("f-early", "f", uid, true)).build()).update();

    try (KubernetesSource source = KubernetesSource.start(client, Set.of(), directory)) {
      Await.until("informers synced", source::synced);
      Await.until("the function", () -> directory.hasFunction(key));
      Await.until("the early pod", () -> directory.instancePods(key).equals(List.of("f-early")));

      client.resource(pod("f-other-owner", "f", "someone-else", true)).create();
      client.resource(pod("f-second", "f", uid, false)).create();
      Await.until("the second pod, not the foreign one",
          () -> Set.copyOf(directory.instancePods(key)).equals(Set.of("f-early", "f-second")));
      assertThat(directory.acquire(key).join().instance().address()).isEqualTo("10.0.0.9:9000");

      client.pods().inNamespace("ns").withName("f-early").delete();
      Await.until("the deleted pod is gone", () -> directory.instancePods(key).equals(List.of("f-second")));
      client.resource(created).delete();
      Await.until("the function is gone", () -> !directory.hasFunction(key));
    } finally {
      timers.shutdownNow();
    }
  }

  @Test
  void aRunningPodNotReadyYetWithItsTokenIsWatchedAtItsLifecycleAddressWithoutTheTokenNot() {
    var timers = Executors.newSingleThreadScheduledExecutor();
    List<StartupEndpoint> watched = new CopyOnWriteArrayList<>();
    List<String> watchedPods = new CopyOnWriteArrayList<>();
    StartupWatch watch = (pod, endpoint, within, stillWaiting, initialized) -> {
      watchedPods.add(pod);
      watched.add(endpoint);
      return () -> {};
    };
    InstanceDirectory directory = new InstanceDirectory(Clock.systemUTC(), Timers.on(timers),
        InstanceDirectory.DirectoryEvents.NONE, watch);
    FunctionInstance fi = new FunctionInstance();
    fi.setMetadata(new ObjectMetaBuilder().withNamespace("ns2").withName("g").build());
    FunctionInstanceSpec spec = new FunctionInstanceSpec();
    spec.setHandler("index.handler");
    fi.setSpec(spec);
    FunctionKey key = new FunctionKey("ns2", "g");
    String uid = client.resource(fi).create().getMetadata().getUid();

    try (KubernetesSource source = KubernetesSource.start(client, Set.of("ns2"), directory)) {
      Await.until("the function", () -> directory.hasFunction(key));
      Pod withToken = new PodBuilder(pod("g-token", "g", uid, false)).editMetadata().withNamespace("ns2")
          .endMetadata().editSpec().editFirstContainer()
          .addNewPort().withName(RuntimePorts.LIFECYCLE_NAME).withContainerPort(9201).endPort()
          .withNewStartupProbe().withNewHttpGet().withPath(LifecycleEndpoints.STARTUP)
          .withPort(new IntOrString(RuntimePorts.LIFECYCLE_NAME))
          .addNewHttpHeader().withName(LifecycleEndpoints.TOKEN_HEADER).withValue("per-pod-secret").endHttpHeader()
          .endHttpGet().endStartupProbe().endContainer().endSpec().build();
      Pod withoutToken = new PodBuilder(pod("g-plain", "g", uid, false)).editMetadata().withNamespace("ns2")
          .endMetadata().build();
      client.resource(withoutToken).create();
      client.resource(withToken).create();
      Await.until("both pods", () -> Set.copyOf(directory.instancePods(key)).equals(Set.of("g-token", "g-plain")));
      Await.until("the pod with its token is watched", () -> watched.size() == 1);
      assertThat(watched).containsExactly(new StartupEndpoint("10.0.0.9", 9201, "per-pod-secret"));
      assertThat(watchedPods).containsExactly("g-token");
      assertThat(directory.acquire(key)).as("neither serves: not Ready, the Initializer not known to have ended")
          .isNotDone();
    } finally {
      timers.shutdownNow();
    }
  }
}
