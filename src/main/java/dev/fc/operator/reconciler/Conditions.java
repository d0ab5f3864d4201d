package dev.fc.operator.reconciler;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Kubernetes conditions, keeping lastTransitionTime when a condition's status did not change. */
public final class Conditions {
  public static final String READY = "Ready";
  public static final String PROGRESSING = "Progressing";

  private Conditions() {}

  public static Condition of(String type, boolean status, String reason, String message, long generation) {
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status ? "True" : "False")
        .withReason(reason)
        .withMessage(message)
        .withObservedGeneration(generation)
        .build();
  }

  /** The new conditions, each with the previous lastTransitionTime when its status is unchanged. */
  public static List<Condition> merge(List<Condition> previous, List<Condition> next, Instant now) {
    List<Condition> merged = new ArrayList<>();
    for (Condition condition : next) {
      Condition before = find(previous, condition.getType());
      String transition = before != null && before.getStatus().equals(condition.getStatus())
          && before.getLastTransitionTime() != null ? before.getLastTransitionTime() : now.toString();
      merged.add(new ConditionBuilder(condition).withLastTransitionTime(transition).build());
    }
    return merged;
  }

  public static Condition find(List<Condition> conditions, String type) {
    if (conditions == null) {
      return null;
    }
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
  }
}
