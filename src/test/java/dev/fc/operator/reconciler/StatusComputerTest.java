package dev.fc.operator.reconciler;

import static dev.fc.operator.reconciler.Instances.T0;
import static dev.fc.operator.reconciler.Instances.failed;
import static dev.fc.operator.reconciler.Instances.ready;
import static dev.fc.operator.reconciler.Instances.retired;
import static dev.fc.operator.reconciler.Instances.starting;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.fc.operator.api.ColdStart;
import dev.fc.operator.api.FunctionInstanceStatus;
import dev.fc.operator.api.InstanceStatus;
import dev.fc.operator.api.InstancePhase;
import dev.fc.operator.desired.Fixtures;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusComputerTest {
  static final Instant NOW = T0.plusSeconds(100);
  static final StatusComputer.HooksConfigured HOOKS = new StatusComputer.HooksConfigured(true, true);

  private static FunctionInstanceStatus compute(int desired, List<ObservedInstance> instances, Backoff backoff) {
    return StatusComputer.compute(Fixtures.function("emoji"), null, desired, "new", instances, backoff, HOOKS, NOW);
  }

  private static Condition condition(FunctionInstanceStatus status, String type) {
    return Conditions.find(status.getConditions(), type);
  }

  private static Backoff backoff(InstancePhase lastPhase) {
    return new Backoff(2, NOW.plusSeconds(2), Duration.ofSeconds(2), "instance x: it broke", lastPhase, "new");
  }

  @Test
  void replacingEndsOnceTheReplacementsAreReadyEvenBeforeTheBackoffResets() {
    Backoff backoff = backoff(InstancePhase.InitializerFailed);
    FunctionInstanceStatus waiting = compute(1, List.of(), backoff);
    assertThat(condition(waiting, Conditions.PROGRESSING).getReason()).isEqualTo(StatusComputer.REASON_REPLACING);
    FunctionInstanceStatus starting = compute(1, List.of(starting("n2", "new", 99)), backoff);
    assertThat(condition(starting, Conditions.PROGRESSING).getReason()).isEqualTo(StatusComputer.REASON_REPLACING);
    FunctionInstanceStatus failedThere = compute(1, List.of(ready("n2", "new", 90, 95), failed("n1", "new", 1)),
        Backoff.NONE);
    assertThat(condition(failedThere, Conditions.PROGRESSING).getReason())
        .isEqualTo(StatusComputer.REASON_REPLACING);

    FunctionInstanceStatus readyAgain = compute(1, List.of(ready("n2", "new", 90, 99)), backoff);
    assertThat(condition(readyAgain, Conditions.PROGRESSING).getReason()).isEqualTo(StatusComputer.REASON_STABLE);
    assertThat(condition(readyAgain, Conditions.PROGRESSING).getStatus()).isEqualTo("False");
    assertThat(condition(readyAgain, Conditions.READY).getReason()).isEqualTo(StatusComputer.REASON_READY);
    assertThat(readyAgain.getBackoff().getConsecutiveFailures()).as("kept until the reset").isEqualTo(2);
  }

  @Test
  void theReadyReasonSaysWhetherTheLastFailureWasAnInitializerOrARetirement() {
    FunctionInstanceStatus initializer = compute(1, List.of(), backoff(InstancePhase.InitializerFailed));
    assertThat(condition(initializer, Conditions.READY).getReason())
        .isEqualTo(StatusComputer.REASON_INITIALIZER_FAILED);
    FunctionInstanceStatus retired = compute(1, List.of(), backoff(InstancePhase.Retired));
    assertThat(condition(retired, Conditions.READY).getReason()).isEqualTo(StatusComputer.REASON_RETIRED);
    assertThat(condition(retired, Conditions.READY).getMessage()).contains("instance x: it broke");
    assertThat(retired.getBackoff().getLastFailurePhase()).isEqualTo("Retired");
    assertThat(retired.getBackoff().getTemplateHash()).isEqualTo("new");
  }

  @Test
  void anEndedInstanceShowsItsPhaseHooksAndWhy() {
    FunctionInstanceStatus status = compute(1, List.of(retired("r", "new", 1)), Backoff.NONE);
    var instance = status.getInstanceStatuses().get(0);
    assertThat(instance.getPhase()).isEqualTo("Retired");
    assertThat(instance.getMessage()).isEqualTo("instance r: InvocationTimeout: invocation ran past 3 s");
  }

  @Test
  void anEndedInstanceShowsTheColdStartPhasesItsRuntimeMeasured() {
    ColdStart phases = new ColdStart(40L, 1003L, 512L);
    FunctionInstanceStatus status = compute(1, List.of(Instances.stopped("s", "new", 1, phases), retired("r", "new", 2)),
        Backoff.NONE);
    assertThat(status.getInstanceStatuses()).extracting(InstanceStatus::getPodName, InstanceStatus::getColdStart)
        .containsExactlyInAnyOrder(tuple("s", phases), tuple("r", null));
  }
}
