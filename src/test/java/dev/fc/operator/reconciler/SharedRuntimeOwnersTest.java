package dev.fc.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.desired.Fixtures;
import dev.fc.operator.reconciler.SharedRuntimeOwners.Step;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The shared runtime ConfigMap's owner scheme, without a server. */
class SharedRuntimeOwnersTest {
  private static final String NAME = "fc-runtime-python-abc";
  private static final Predicate<OwnerReference> ALL_LIVE = ref -> true;

  private static FunctionInstance fi(String name, String created) {
    FunctionInstance fi = Fixtures.function(name);
    fi.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("ns").withUid("uid-" + name)
        .withCreationTimestamp(created).build());
    return fi;
  }

  private static ConfigMap ownedBy(FunctionInstance... owners) {
    return new ConfigMapBuilder().withNewMetadata().withName(NAME).withNamespace("ns")
        .withOwnerReferences(Arrays.stream(owners).map(SharedRuntimeOwners::reference).toList())
        .endMetadata().build();
  }

  private static Predicate<OwnerReference> liveAmong(FunctionInstance... live) {
    Set<String> uids = Set.copyOf(Arrays.stream(live).map(f -> f.getMetadata().getUid()).toList());
    return ref -> uids.contains(ref.getUid());
  }

  private final FunctionInstance a = fi("a", "2026-12-03T08:00:00Z");
  private final FunctionInstance b = fi("b", "2026-12-03T08:00:00Z");
  private final FunctionInstance c = fi("c", "2026-12-03T08:00:01Z");
  private final FunctionInstance d = fi("d", "2026-12-03T07:59:59Z");
  private final FunctionInstance e = fi("e", "2026-12-03T08:00:02Z");

  @Test
  void aMissingConfigMapIsCreatedByWhicheverUserSeesItMissing() {
    assertThat(SharedRuntimeOwners.step(null, a, ALL_LIVE, false)).isEqualTo(Step.CREATE);
  }

  @Test
  void onlyACandidateBecomesAnOwnerAndOnlyWhileOwnersAreMissing() {
    assertThat(SharedRuntimeOwners.step(ownedBy(a), b, ALL_LIVE, true)).isEqualTo(Step.ADD_OWNER);
    assertThat(SharedRuntimeOwners.step(ownedBy(a), b, ALL_LIVE, false)).isEqualTo(Step.NONE);
    assertThat(SharedRuntimeOwners.step(ownedBy(a, b, c), e, ALL_LIVE, true)).isEqualTo(Step.NONE);
    assertThat(SharedRuntimeOwners.step(ownedBy(a, b), a, ALL_LIVE, true)).as("already an owner").isEqualTo(Step.NONE);
  }

  @Test
  void anOwnerThatIsGoneLeavesARoomAsIfTheGarbageCollectorHadDroppedItsReference() {
    ConfigMap configMap = ownedBy(a, b, c);
    assertThat(SharedRuntimeOwners.liveOwners(configMap, liveAmong(b, c))).hasSize(2);
    assertThat(SharedRuntimeOwners.step(configMap, e, liveAmong(b, c, e), true)).isEqualTo(Step.ADD_OWNER);
  }

  @Test
  void candidatesAreTheOldestUsersThatAreNotOwnersThenByNameAsManyAsAreMissing() {
    List<FunctionInstance> users = List.of(e, c, b, a, d);
    assertThat(SharedRuntimeOwners.candidates(ownedBy(a), users.stream(), f -> NAME, ALL_LIVE))
        .extracting(f -> f.getMetadata().getName()).containsExactly("d", "b");
    assertThat(SharedRuntimeOwners.candidates(ownedBy(a, b, c), users.stream(), f -> NAME, ALL_LIVE)).isEmpty();
    assertThat(SharedRuntimeOwners.candidates(ownedBy(), users.stream(), f -> NAME, ALL_LIVE))
        .extracting(f -> f.getMetadata().getName()).containsExactly("d", "a", "b");
  }

  @Test
  void aFunctionThatMountsAnotherConfigMapOrNoneIsNoCandidate() {
    Stream<FunctionInstance> users = Stream.of(b, c, d);
    assertThat(SharedRuntimeOwners.candidates(ownedBy(a), users,
        f -> f == d ? null : f == b ? "fc-runtime-nodejs-abc" : NAME, ALL_LIVE))
        .extracting(f -> f.getMetadata().getName()).containsExactly("c");
  }

  @Test
  void anOwnerIsNeitherTheControllerNorBlocksItsOwnersDeletion() {
    OwnerReference ref = SharedRuntimeOwners.reference(a);
    assertThat(ref.getController()).isNull();
    assertThat(ref.getBlockOwnerDeletion()).isNull();
    assertThat(ref.getUid()).isEqualTo("uid-a");
    assertThat(ref.getKind()).isEqualTo(FunctionInstance.KIND);
  }
}
