package dev.fc.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Conditions.merge: a condition's lastTransitionTime moves only when its status does. */
class ConditionsTest {
  static final Instant BEFORE = Instant.parse("2026-01-01T00:00:00Z");
  static final Instant NOW = Instant.parse("2026-01-01T00:05:00Z");

  private static Condition previous(String type, boolean status, String reason, String transition) {
    return new ConditionBuilder(Conditions.of(type, status, reason, "before", 1))
        .withLastTransitionTime(transition).build();
  }

  @Test
  void ofBuildsAConditionWithoutATransitionTime() {
    Condition c = Conditions.of(Conditions.READY, true, "Ready", "1/1 instances ready", 7);
    assertThat(c).extracting(Condition::getType, Condition::getStatus, Condition::getReason, Condition::getMessage,
        Condition::getObservedGeneration, Condition::getLastTransitionTime)
        .containsExactly("Ready", "True", "Ready", "1/1 instances ready", 7L, null);
    assertThat(Conditions.of(Conditions.READY, false, "Initializing", "", 0).getStatus()).isEqualTo("False");
  }

  @Test
  void anUnchangedStatusKeepsItsTransitionTimeWhileReasonMessageAndGenerationAreTheNewOnes() {
    List<Condition> merged = Conditions.merge(
        List.of(previous(Conditions.READY, false, "Initializing", BEFORE.toString())),
        List.of(Conditions.of(Conditions.READY, false, "InitializerFailed", "now", 2)), NOW);
    assertThat(merged).singleElement().extracting(Condition::getLastTransitionTime, Condition::getReason,
        Condition::getMessage, Condition::getObservedGeneration)
        .containsExactly(BEFORE.toString(), "InitializerFailed", "now", 2L);
  }

  @Test
  void aChangedStatusTransitionsNow() {
    List<Condition> merged = Conditions.merge(
        List.of(previous(Conditions.READY, false, "Initializing", BEFORE.toString())),
        List.of(Conditions.of(Conditions.READY, true, "Ready", "1/1", 1)), NOW);
    assertThat(merged.get(0).getLastTransitionTime()).isEqualTo(NOW.toString());
  }

  @Test
  void aConditionNewOrWithoutATransitionTimeBeforeTransitionsNow() {
    Condition next = Conditions.of(Conditions.PROGRESSING, false, "Stable", "", 1);
    assertThat(Conditions.merge(null, List.of(next), NOW).get(0).getLastTransitionTime()).isEqualTo(NOW.toString());
    assertThat(Conditions.merge(List.of(), List.of(next), NOW).get(0).getLastTransitionTime())
        .isEqualTo(NOW.toString());
    assertThat(Conditions.merge(List.of(previous(Conditions.READY, false, "Initializing", BEFORE.toString())),
        List.of(next), NOW).get(0).getLastTransitionTime()).as("another type's time is not taken")
        .isEqualTo(NOW.toString());
    assertThat(Conditions.merge(List.of(previous(Conditions.PROGRESSING, false, "Stable", null)),
        List.of(next), NOW).get(0).getLastTransitionTime()).isEqualTo(NOW.toString());
  }

  @Test
  void eachConditionIsMergedWithItsOwnTypeInTheNewOrderAndDroppedOnesStayDropped() {
    List<Condition> merged = Conditions.merge(
        List.of(previous(Conditions.PROGRESSING, true, "Scaling", "2026-01-01T00:01:00Z"),
            previous(Conditions.READY, true, "Ready", BEFORE.toString()),
            previous("Obsolete", true, "Gone", BEFORE.toString())),
        List.of(Conditions.of(Conditions.READY, true, "Ready", "", 1),
            Conditions.of(Conditions.PROGRESSING, false, "Stable", "", 1)), NOW);
    assertThat(merged).extracting(Condition::getType, Condition::getLastTransitionTime).containsExactly(
        org.assertj.core.groups.Tuple.tuple(Conditions.READY, BEFORE.toString()),
        org.assertj.core.groups.Tuple.tuple(Conditions.PROGRESSING, NOW.toString()));
  }

  @Test
  void mergeChangesNeitherInput() {
    Condition before = previous(Conditions.READY, true, "Ready", BEFORE.toString());
    Condition next = Conditions.of(Conditions.READY, true, "Ready", "", 1);
    Conditions.merge(List.of(before), List.of(next), NOW);
    assertThat(next.getLastTransitionTime()).isNull();
    assertThat(before.getMessage()).isEqualTo("before");
  }

  @Test
  void findByType() {
    Condition ready = previous(Conditions.READY, true, "Ready", BEFORE.toString());
    assertThat(Conditions.find(List.of(ready), Conditions.READY)).isSameAs(ready);
    assertThat(Conditions.find(List.of(ready), Conditions.PROGRESSING)).isNull();
    assertThat(Conditions.find(null, Conditions.READY)).isNull();
  }
}
