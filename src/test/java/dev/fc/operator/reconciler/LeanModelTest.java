package dev.fc.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fc.operator.api.FunctionInstance;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LeanModelTest {
  private static final String POD = """
      {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s","namespace":"ns","uid":"u-%s"},
       "spec":{"containers":[{"name":"function","image":"python:3.12-slim"}]},
       "status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}]}}""";

  private static Pod pod(String name) {
    return Serialization.unmarshal(POD.formatted(name, name), Pod.class);
  }

  private final Map<String, String> vocabulary = new ConcurrentHashMap<>();

  private <T> T compact(T object, String... shared) {
    return LeanModel.compact(object, Set.of(shared), v -> vocabulary.computeIfAbsent(v, x -> x));
  }

  @Test
  void emptyExtraPropertiesMapsBecomeOneSharedMapAndTheObjectIsUnchanged() {
    Pod a = pod("a");
    Pod before = pod("a");

    compact(a);
    Pod b = compact(pod("b"));

    assertThat(a).isEqualTo(before);
    assertThat(Serialization.asJson(a)).isEqualTo(Serialization.asJson(before));
    assertThat(a.getMetadata().getAdditionalProperties()).isEmpty();
    assertThat(a.getMetadata().getAdditionalProperties())
        .isSameAs(b.getMetadata().getAdditionalProperties())
        .isSameAs(a.getSpec().getContainers().get(0).getAdditionalProperties())
        .isSameAs(a.getStatus().getConditions().get(0).getAdditionalProperties());
    assertThat(before.getMetadata().getAdditionalProperties())
        .isNotSameAs(before.getSpec().getAdditionalProperties());
  }

  @Test
  void extraPropertiesThatHoldSomethingAreKept() {
    Pod a = Serialization.unmarshal(POD.formatted("a", "a").replace("\"uid\"", "\"futureField\":1,\"uid\""),
        Pod.class);

    compact(a);

    assertThat(a.getMetadata().getAdditionalProperties()).containsEntry("futureField", 1);
  }

  @Test
  void namedStringFieldsShareOneCopyOfEachValueAndOthersKeepTheirOwn() {
    Pod a = compact(pod("a"), "namespace", "type", "phase");
    Pod b = compact(pod("b"), "namespace", "type", "phase");

    assertThat(a.getMetadata().getNamespace()).isSameAs(b.getMetadata().getNamespace());
    assertThat(a.getStatus().getPhase()).isSameAs(b.getStatus().getPhase());
    assertThat(a.getStatus().getConditions().get(0).getType()).isSameAs(b.getStatus().getConditions().get(0).getType());
    assertThat(a.getSpec().getContainers().get(0).getImage()).as("not named: its own copy")
        .isEqualTo(b.getSpec().getContainers().get(0).getImage())
        .isNotSameAs(b.getSpec().getContainers().get(0).getImage());
  }

  @Test
  void theOperatorsOwnResourceIsWalkedThroughItsSpecAndStatus() {
    String json = """
        {"apiVersion":"fc.dev/v1alpha1","kind":"FunctionInstance","metadata":{"name":"f","namespace":"ns"},
         "spec":{"runtime":"python3.12","handler":"index.handler"},
         "status":{"ready":"0/1","conditions":[{"type":"Ready","status":"False","reason":"Initializing"}]}}""";
    FunctionInstance a = compact(Serialization.unmarshal(json, FunctionInstance.class), "runtime", "reason");
    FunctionInstance b = compact(Serialization.unmarshal(json, FunctionInstance.class), "runtime", "reason");

    assertThat(a.getSpec().getRuntime()).isSameAs(b.getSpec().getRuntime());
    assertThat(a.getStatus().getConditions().get(0).getReason()).isSameAs(b.getStatus().getConditions().get(0).getReason());
    assertThat(a.getMetadata().getAdditionalProperties()).isSameAs(b.getMetadata().getAdditionalProperties());
    assertThat(Serialization.asJson(a)).isEqualTo(Serialization.asJson(Serialization.unmarshal(json, FunctionInstance.class)));
  }

  @Test
  void emptyListAndMapFieldsBecomeSharedImmutableEmptiesAndFullOnesAreKept() {
    Pod a = compact(pod("a"));
    Pod b = compact(pod("b"));

    assertThat(a.getMetadata().getFinalizers()).isEmpty();
    assertThat(a.getMetadata().getFinalizers()).isSameAs(b.getMetadata().getOwnerReferences());
    assertThat(a.getMetadata().getLabels()).isEmpty();
    assertThat(a.getMetadata().getLabels()).isSameAs(b.getMetadata().getAnnotations());
    assertThat(a.getSpec().getContainers()).hasSize(1);
    assertThat(a.getStatus().getConditions()).singleElement()
        .satisfies(c -> assertThat(c.getType()).isEqualTo("Ready"));
  }
}
