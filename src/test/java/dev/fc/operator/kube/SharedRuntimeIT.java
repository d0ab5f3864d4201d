package dev.fc.operator.kube;

import static dev.fc.operator.kube.FcKube.SLOW;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fc.operator.Await;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The namespace's shared runtime ConfigMap under the real garbage collector: deleting functions never deletes it
 * under another, and it goes with the last function that uses it, with no operator running.
 */
@ExtendWith(KubeTierExtension.class)
class SharedRuntimeIT {
  private static PodLifecycleResponder pods;

  private KubernetesClient admin;
  private String ns;
  private FcKube.RunningOperator operator;

  @BeforeAll
  static void cluster(KubeTier tier) {
    tier.withNode();
    pods = PodLifecycleResponder.shared();
    FcKube.installCrd(tier.adminClient());
  }

  @BeforeEach
  void start(KubeTier tier) {
    pods.reset();
    admin = tier.adminClient();
    ns = tier.createNamespace("shared");
    operator = FcKube.startOperator(tier.newAdminClient(), ns);
  }

  @AfterEach
  void stop() {
    if (operator != null) {
      operator.close();
    }
  }

  private static Set<String> owners(ConfigMap configMap) {
    return new TreeSet<>(FcKube.orEmpty(configMap.getMetadata().getOwnerReferences()).stream()
        .map(OwnerReference::getName).toList());
  }

  /** The one shared runtime ConfigMap once it satisfies {@code accept}, failing at once if it is ever missing. */
  private ConfigMap awaitNeverMissing(String what, String uid, Predicate<ConfigMap> accept) {
    return Await.value(what, SLOW, () -> {
      List<ConfigMap> shared = FcKube.sharedRuntimes(admin, ns);
      assertThat(shared).as("the shared runtime ConfigMap, at every look").singleElement()
          .satisfies(cm -> assertThat(cm.getMetadata().getUid()).isEqualTo(uid));
      return shared.get(0);
    }, accept);
  }

  @Test
  void deletingFunctionsNeverDeletesItUnderAnotherAndItGoesWithTheLastOneWithoutTheOperator() {
    for (String name : List.of("a", "b", "c")) {
      admin.resource(FcKube.function(ns, name, 0)).create();
    }
    ConfigMap shared = Await.value("3 owners", SLOW, () -> FcKube.sharedRuntimes(admin, ns).stream().findFirst()
        .orElse(null), cm -> cm != null && owners(cm).size() == 3);
    String uid = shared.getMetadata().getUid();
    admin.resource(FcKube.function(ns, "d", 1)).create();
    FcKube.awaitStatus(admin, ns, "d", "1/1 Ready", s -> FcKube.settled(s, 1));
    assertThat(owners(FcKube.sharedRuntimes(admin, ns).get(0))).as("3 owners are enough").containsExactly("a", "b", "c");

    FcKube.fi(admin, ns, "a").delete();
    awaitNeverMissing("the garbage collector dropped a; d took its place", uid,
        cm -> owners(cm).equals(Set.of("b", "c", "d")));

    FcKube.fi(admin, ns, "b").delete();
    FcKube.fi(admin, ns, "c").delete();
    awaitNeverMissing("b and c dropped at once, d left", uid, cm -> owners(cm).equals(Set.of("d")));
    FcKube.fi(admin, ns, "d").scale(2);
    FcKube.awaitStatus(admin, ns, "d", "2/2 Ready: a new instance mounts it", s -> FcKube.settled(s, 2));

    operator.close();
    operator = null;
    FcKube.fi(admin, ns, "d").delete();
    Await.until("the garbage collector deleted it with its last function, no operator running",
        () -> FcKube.sharedRuntimes(admin, ns).isEmpty(), SLOW);
  }

  @Test
  void whenEveryOwnerGoesAtOnceTheFunctionsLeftStillStartInstances() {
    for (String name : List.of("a", "b", "c", "d", "e")) {
      admin.resource(FcKube.function(ns, name, 0)).create();
    }
    ConfigMap shared = Await.value("3 owners", SLOW, () -> FcKube.sharedRuntimes(admin, ns).stream().findFirst()
        .orElse(null), cm -> cm != null && owners(cm).size() == 3);
    Set<String> left = new TreeSet<>(Set.of("a", "b", "c", "d", "e"));
    for (String owner : owners(shared)) {
      FcKube.fi(admin, ns, owner).delete();
      left.remove(owner);
    }
    // the garbage collector may delete it before the operator adds an owner: then the operator writes it again
    Await.until("owned by the functions left", () -> FcKube.sharedRuntimes(admin, ns).stream()
        .anyMatch(cm -> owners(cm).equals(left)), SLOW);
    for (String name : left) {
      FcKube.fi(admin, ns, name).scale(1);
    }
    for (String name : left) {
      FcKube.awaitStatus(admin, ns, name, "1/1 Ready", s -> FcKube.settled(s, 1));
    }
    assertThat(FcKube.sharedRuntimes(admin, ns)).hasSize(1);
  }
}
