package dev.fc.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fc.operator.Await;
import dev.fc.operator.api.Code;
import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.desired.ConfigMapFactory;
import dev.fc.operator.desired.Fixtures;
import dev.fc.operator.desired.Labels;
import dev.fc.operator.kube.FcKube;
import dev.fc.operator.manager.FcOperator;
import dev.fc.operator.manager.ManagerSettings;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The runtime's files, once per namespace and runtime: the operator against kubernetes-server-mock in CRUD mode. The
 * mock has no garbage collector: where one matters, the test does what the garbage collector would
 * ({@link #collectGarbageOf}); the kube tier's {@code SharedRuntimeIT} has the real one.
 */
@EnableKubernetesMockClient(crud = true)
class SharedRuntimeOperatorTest {
  static KubernetesClient client;
  private static final AtomicInteger NAMESPACES = new AtomicInteger();

  private Operator operator;
  private String namespace;

  @BeforeEach
  void start() {
    namespace = "shared" + NAMESPACES.incrementAndGet();
    operator = FcOperator.create(client, ManagerSettings.defaults()
        .withServerSideApply(false)
        .withNamespaces(Set.of(namespace))
        .withReconcilerSettings(OperatorTest.FAST), Clock.systemUTC(), new SimpleMeterRegistry());
    operator.start();
  }

  @AfterEach
  void stop() {
    operator.stop();
  }

  private FunctionInstance create(String name, String runtime, Map<String, String> code) {
    FunctionInstance fi = Fixtures.function(name);
    fi.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    fi.getSpec().setInstances(1);
    if (runtime != null) {
      fi.getSpec().setRuntime(runtime);
      fi.getSpec().setInstanceLifecycleConfig(null);
    }
    fi.getSpec().setCode(Code.inline(code));
    return client.resource(fi).create();
  }

  private FunctionInstance create(String name) {
    return create(name, null, Map.of("index.py", Fixtures.CODE));
  }

  private List<ConfigMap> sharedRuntimes() {
    return client.configMaps().inNamespace(namespace).list().getItems().stream()
        .filter(ConfigMapFactory::isSharedRuntime).toList();
  }

  private ConfigMap awaitShared(String what, java.util.function.Predicate<ConfigMap> accept) {
    return Await.value(what, () -> sharedRuntimes().stream().findFirst().orElse(null),
        cm -> cm != null && accept.test(cm));
  }

  private Pod awaitPod(String function) {
    return Await.value("a pod of " + function, () -> FcKube.pods(client, namespace, function),
        pods -> pods.size() == 1).get(0);
  }

  private static Set<String> owners(ConfigMap configMap) {
    return Set.copyOf(FcKube.orEmpty(configMap.getMetadata().getOwnerReferences()).stream()
        .map(OwnerReference::getName).toList());
  }

  private static String runtimeVolume(Pod pod) {
    return pod.getSpec().getVolumes().stream().filter(v -> v.getConfigMap() != null)
        .map(v -> v.getConfigMap().getName()).filter(n -> n.startsWith(ConfigMapFactory.SHARED_RUNTIME_PREFIX))
        .findFirst().orElseThrow();
  }

  /** What the garbage collector does when {@code fi} goes: it drops fi's reference, or deletes what fi alone owned. */
  private void collectGarbageOf(FunctionInstance fi) {
    client.resource(fi).delete();
    String uid = fi.getMetadata().getUid();
    for (ConfigMap cm : sharedRuntimes()) {
      if (cm.getMetadata().getOwnerReferences().stream().allMatch(ref -> ref.getUid().equals(uid))) {
        client.resource(cm).delete();
      } else {
        FcKube.editRetrying(client.configMaps().inNamespace(namespace).withName(cm.getMetadata().getName()),
            current -> new ConfigMapBuilder(current).editMetadata().withOwnerReferences(current.getMetadata()
                .getOwnerReferences().stream().filter(ref -> !ref.getUid().equals(uid)).toList()).endMetadata()
                .build());
      }
    }
  }

  @Test
  void theNamespacesFunctionsMountOneRuntimeConfigMapOwnedByThreeOfThemWithItsCodeEachTheirOwn() {
    for (String name : List.of("a", "b", "c", "d", "e")) {
      create(name, null, Map.of("index.py", Fixtures.CODE + "# " + name + "\n"));
    }
    ConfigMap shared = awaitShared("3 owners", cm -> owners(cm).size() == SharedRuntimeOwners.OWNERS);
    assertThat(sharedRuntimes()).hasSize(1);
    assertThat(shared.getImmutable()).isTrue();
    assertThat(shared.getData()).containsKey("bootstrap.py");
    assertThat(shared.getMetadata().getOwnerReferences())
        .allSatisfy(ref -> assertThat(ref.getController()).as("a shared object has no controller").isNull());
    for (String name : List.of("a", "b", "c", "d", "e")) {
      Pod pod = awaitPod(name);
      assertThat(runtimeVolume(pod)).isEqualTo(shared.getMetadata().getName());
      ConfigMap code = Await.value("code of " + name, () -> FcKube.configMaps(client, namespace, name).stream()
          .filter(cm -> cm.getMetadata().getName().startsWith(name + "-code-")).findFirst().orElse(null),
          cm -> cm != null);
      assertThat(code.getData()).as("read from the API: the cache holds no code")
          .containsEntry("index.py", Fixtures.CODE + "# " + name + "\n");
    }
    Await.until("no fourth owner", () -> owners(sharedRuntimes().get(0)).size() == SharedRuntimeOwners.OWNERS);
  }

  @Test
  void everyWatchedNamespaceGetsThreeOwnersOfItsOwnRuntimeConfigMap() {
    operator.stop();
    String other = namespace + "-other";
    operator = FcOperator.create(client, ManagerSettings.defaults()
        .withServerSideApply(false)
        .withNamespaces(Set.of(namespace, other))
        .withReconcilerSettings(OperatorTest.FAST), Clock.systemUTC(), new SimpleMeterRegistry());
    operator.start();
    for (String name : List.of("a", "b", "c", "d")) {
      create(name);
    }
    awaitShared("3 owners in the first namespace", cm -> owners(cm).size() == SharedRuntimeOwners.OWNERS);
    String first = namespace;
    namespace = other;
    for (int i = 0; i < 20; i++) {
      create("f" + i);
    }
    awaitShared("3 owners in the second namespace", cm -> owners(cm).size() == SharedRuntimeOwners.OWNERS);
    namespace = first;
  }

  @Test
  void eachRuntimeLanguageHasItsOwn() {
    create("py");
    create("js", "nodejs20", Map.of("index.js", "exports.handler = (e, c, cb) => cb(null, e);\n"));
    Await.until("two shared runtime ConfigMaps", () -> sharedRuntimes().size() == 2);
    assertThat(sharedRuntimes()).extracting(cm -> cm.getMetadata().getName())
        .anyMatch(n -> n.startsWith("fc-runtime-python-")).anyMatch(n -> n.startsWith("fc-runtime-nodejs-"));
    assertThat(runtimeVolume(awaitPod("js"))).startsWith("fc-runtime-nodejs-");
    assertThat(runtimeVolume(awaitPod("py"))).startsWith("fc-runtime-python-");
  }

  @Test
  void aDeletedOwnersPlaceIsTakenByAnotherUser() {
    for (String name : List.of("a", "b", "c", "d")) {
      create(name);
    }
    ConfigMap shared = awaitShared("3 owners", cm -> owners(cm).size() == SharedRuntimeOwners.OWNERS);
    String gone = shared.getMetadata().getOwnerReferences().get(0).getName();
    collectGarbageOf(client.resources(FunctionInstance.class).inNamespace(namespace).withName(gone).get());
    ConfigMap after = awaitShared("3 owners again", cm -> owners(cm).size() == SharedRuntimeOwners.OWNERS
        && !owners(cm).contains(gone));
    assertThat(after.getMetadata().getUid()).as("the same ConfigMap, never deleted")
        .isEqualTo(shared.getMetadata().getUid());
    assertThat(owners(after)).isSubsetOf("a", "b", "c", "d");
  }

  @Test
  void whenEveryOwnerGoesAtOnceARemainingUserWritesItAgain() {
    for (String name : List.of("a", "b", "c", "d", "e")) {
      create(name);
    }
    ConfigMap shared = awaitShared("3 owners", cm -> owners(cm).size() == SharedRuntimeOwners.OWNERS);
    Set<String> remaining = new java.util.TreeSet<>(Set.of("a", "b", "c", "d", "e"));
    for (String owner : owners(shared)) {
      client.resources(FunctionInstance.class).inNamespace(namespace).withName(owner).delete();
      remaining.remove(owner);
    }
    client.resource(shared).delete(); // what the garbage collector does once its owners are gone
    ConfigMap again = awaitShared("written again, owned by the users left",
        cm -> !cm.getMetadata().getUid().equals(shared.getMetadata().getUid()) && owners(cm).equals(remaining));
    assertThat(again.getMetadata().getName()).isEqualTo(shared.getMetadata().getName());
  }

  @Test
  void anOlderOperatorsRuntimeGoesOnceNoPodMountsIt() {
    FunctionInstance fi = create("emoji");
    Pod current = awaitPod("emoji");
    String older = ConfigMapFactory.SHARED_RUNTIME_PREFIX + "python-0123456789";
    client.resource(new ConfigMapBuilder().withNewMetadata().withName(older).withNamespace(namespace)
        .withLabels(Labels.sharedRuntime()).withOwnerReferences(SharedRuntimeOwners.reference(fi)).endMetadata()
        .withImmutable(true).withData(Map.of("bootstrap.py", "# older\n")).build()).create();
    // an instance of the older operator's template, still mounting it
    Pod old = new PodBuilder(current).editMetadata().withName("emoji-old").withGenerateName(null)
        .withResourceVersion(null).withUid(null).addToLabels(Labels.TEMPLATE_HASH, "older").endMetadata().build();
    old.getSpec().getVolumes().stream().filter(v -> v.getConfigMap() != null
        && v.getConfigMap().getName().equals(runtimeVolume(current))).forEach(v -> v.getConfigMap().setName(older));
    client.resource(old).create();
    Await.until("the older instance deleted (its template is not the function's)",
        () -> client.pods().inNamespace(namespace).withName(old.getMetadata().getName()).get() == null);
    Await.until("the older runtime deleted", () -> client.configMaps().inNamespace(namespace).withName(older).get()
        == null);
    assertThat(sharedRuntimes()).extracting(cm -> cm.getMetadata().getName()).containsExactly(runtimeVolume(current));
  }

  @Test
  void aRuntimeConfigMapTheOperatorDoesNotOwnIsLeftAlone() {
    create("emoji");
    awaitPod("emoji");
    String foreign = ConfigMapFactory.SHARED_RUNTIME_PREFIX + "python-someone";
    client.resource(new ConfigMapBuilder().withNewMetadata().withName(foreign).withNamespace(namespace)
        .withLabels(Labels.sharedRuntime()).endMetadata().withData(Map.of("x", "y")).build()).create();
    FcKube.edit(client, namespace, "emoji", f -> f.getSpec().setInstances(2));
    Await.until("2 pods", () -> FcKube.pods(client, namespace, "emoji").size() == 2);
    assertThat(client.configMaps().inNamespace(namespace).withName(foreign).get()).isNotNull();
  }
}
