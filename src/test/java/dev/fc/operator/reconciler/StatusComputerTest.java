package dev.fc.operator.reconciler;

import static dev.fc.operator.reconciler.Instances.T0;
import static dev.fc.operator.reconciler.Instances.failed;
import static dev.fc.operator.reconciler.Instances.ready;
import static dev.fc.operator.reconciler.Instances.retired;
import static dev.fc.operator.reconciler.Instances.starting;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.fc.operator.api.ColdStart;
import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.api.HookOutcome;
import dev.fc.operator.api.SpecDefaults;
import dev.fc.operator.api.FunctionInstanceStatus;
import dev.fc.operator.api.InstanceStatus;
import dev.fc.operator.api.InstancePhase;
import dev.fc.operator.contract.TerminationMessage;
import dev.fc.operator.desired.DesiredState;
import dev.fc.operator.desired.Fixtures;
import dev.fc.operator.desired.HooksConfigured;
import dev.fc.operator.desired.Labels;
import dev.fc.operator.validation.FieldError;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusComputerTest {
  static final Instant NOW = T0.plusSeconds(100);
  static final HooksConfigured HOOKS = new HooksConfigured(true, true);

  /** A desired state of {@code instances} pods of template {@code hash}; only what the status reads of it. */
  static DesiredState target(int instances, String hash, HooksConfigured hooks) {
    Pod template = new PodBuilder().withNewMetadata().addToLabels(Labels.TEMPLATE_HASH, hash).endMetadata().build();
    return new DesiredState(List.of(), null, template, instances, hooks);
  }

  private static FunctionInstanceStatus compute(int desired, List<ObservedInstance> instances, Backoff backoff) {
    return StatusComputer.compute(Fixtures.function("emoji"), null, target(desired, "new", HOOKS), instances, backoff,
        NOW);
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

  // ---- counts and the Ready condition ----

  @Test
  void onlyLiveInstancesCountAndReadyIsReadyOverDesired() {
    FunctionInstanceStatus status = compute(3, List.of(ready("a", "new", 1, 2), starting("b", "new", 3),
        failed("c", "new", 4), Instances.of("d", "new", InstancePhase.Terminating, T0, null)), Backoff.NONE);
    assertThat(status.getInstances()).as("a and b; c ended, d is going").isEqualTo(2);
    assertThat(status.getReadyInstances()).isEqualTo(1);
    assertThat(status.getReady()).isEqualTo("1/3");
    assertThat(status.getObservedGeneration()).isEqualTo(1L);
    assertThat(status.getSelector()).isEqualTo(Labels.instanceSelectorString("emoji"));
    assertThat(status.getInstanceStatuses()).as("every instance, by name").extracting(InstanceStatus::getPodName)
        .containsExactly("a", "b", "c", "d");
    assertThat(status.getBackoff()).isNull();
  }

  @Test
  void readyOnceEnoughInstancesAreReadyElseInitializingWhileNothingFailed() {
    FunctionInstanceStatus ready = compute(2, List.of(ready("a", "new", 1, 2), ready("b", "new", 1, 3)),
        Backoff.NONE);
    assertThat(condition(ready, Conditions.READY)).extracting(Condition::getStatus, Condition::getReason,
        Condition::getMessage).containsExactly("True", StatusComputer.REASON_READY, "2/2 instances ready");
    FunctionInstanceStatus initializing = compute(2, List.of(ready("a", "new", 1, 2), starting("b", "new", 3)),
        Backoff.NONE);
    assertThat(condition(initializing, Conditions.READY)).extracting(Condition::getStatus, Condition::getReason,
        Condition::getMessage).containsExactly("False", StatusComputer.REASON_INITIALIZING, "1/2 instances ready");
    FunctionInstanceStatus none = compute(0, List.of(), Backoff.NONE);
    assertThat(condition(none, Conditions.READY).getReason()).as("0 of 0 is all").isEqualTo(StatusComputer.REASON_READY);
  }

  // ---- the Progressing condition ----

  @Test
  void anInstanceOfAnotherTemplateMeansRollingOutWhichWinsOverScalingAndReplacing() {
    FunctionInstanceStatus status = compute(3, List.of(ready("a", "old", 1, 2), ready("b", "new", 3, 4),
        failed("c", "new", 5)), backoff(InstancePhase.InitializerFailed));
    Condition progressing = condition(status, Conditions.PROGRESSING);
    assertThat(progressing).extracting(Condition::getStatus, Condition::getReason, Condition::getMessage)
        .containsExactly("True", StatusComputer.REASON_ROLLING_OUT, "rolling out template new: 1/3 instances updated");
    assertThat(status.getBackoff().getConsecutiveFailures()).isEqualTo(2);
  }

  @Test
  void anEndedInstanceOfAnOldTemplateIsNotARollout() {
    FunctionInstanceStatus status = compute(1, List.of(ready("b", "new", 3, 4), failed("a", "old", 1)),
        Backoff.NONE);
    assertThat(condition(status, Conditions.PROGRESSING).getReason()).isEqualTo(StatusComputer.REASON_REPLACING);
  }

  @Test
  void replacingSaysWhenTheNextInstanceMayComeIfABackoffHoldsIt() {
    Backoff backoff = backoff(InstancePhase.InitializerFailed);
    assertThat(condition(compute(1, List.of(), backoff), Conditions.PROGRESSING).getMessage())
        .isEqualTo("replacing failed instances, next not before " + backoff.notBefore());
    assertThat(condition(compute(1, List.of(ready("n", "new", 1, 2), failed("f", "new", 1)), Backoff.NONE),
        Conditions.PROGRESSING).getMessage()).isEqualTo("replacing failed instances");
  }

  @Test
  void moreOrFewerLiveInstancesThanDesiredIsScaling() {
    Condition up = condition(compute(3, List.of(ready("a", "new", 1, 2)), Backoff.NONE), Conditions.PROGRESSING);
    assertThat(up).extracting(Condition::getStatus, Condition::getReason, Condition::getMessage)
        .containsExactly("True", StatusComputer.REASON_SCALING, "scaling from 1 to 3 instances");
    Condition down = condition(compute(1, List.of(ready("a", "new", 1, 2), ready("b", "new", 1, 2)), Backoff.NONE),
        Conditions.PROGRESSING);
    assertThat(down.getMessage()).isEqualTo("scaling from 2 to 1 instances");
    Condition stillGoing = condition(compute(1, List.of(ready("a", "new", 1, 2),
        Instances.of("b", "new", InstancePhase.Terminating, T0, null)), Backoff.NONE), Conditions.PROGRESSING);
    assertThat(stillGoing.getReason()).as("a terminating instance no longer counts").isEqualTo(
        StatusComputer.REASON_STABLE);
  }

  @Test
  void stableSaysHowManyOfWhichTemplate() {
    Condition stable = condition(compute(1, List.of(ready("a", "new", 1, 2)), Backoff.NONE), Conditions.PROGRESSING);
    assertThat(stable).extracting(Condition::getStatus, Condition::getReason, Condition::getMessage,
        Condition::getObservedGeneration).containsExactly("False", StatusComputer.REASON_STABLE,
        "1 instances of template new", 1L);
  }

  @Test
  void conditionsKeepTheirTransitionTimeWhileTheirStatusHolds() {
    FunctionInstance fi = Fixtures.function("emoji");
    DesiredState target = target(1, "new", HOOKS);
    FunctionInstanceStatus first = StatusComputer.compute(fi, null, target, List.of(starting("a", "new", 1)),
        Backoff.NONE, T0);
    FunctionInstanceStatus same = StatusComputer.compute(fi, first, target, List.of(starting("a", "new", 1)),
        Backoff.NONE, NOW);
    assertThat(same).as("an unchanged world gives an equal status: nothing is written").isEqualTo(first);
    FunctionInstanceStatus ready = StatusComputer.compute(fi, first, target, List.of(ready("a", "new", 1, 50)),
        Backoff.NONE, NOW);
    assertThat(condition(ready, Conditions.READY).getLastTransitionTime()).isEqualTo(NOW.toString());
    assertThat(condition(ready, Conditions.PROGRESSING).getLastTransitionTime()).as("False before and after")
        .isEqualTo(T0.toString());
  }

  // ---- per instance ----

  @Test
  void aReadyInstanceShowsItsInitializerSucceededOnlyWhenOneIsConfigured() {
    List<ObservedInstance> instances = List.of(ready("a", "new", 1, 2), starting("b", "new", 3));
    FunctionInstance fi = Fixtures.function("emoji");
    FunctionInstanceStatus with = StatusComputer.compute(fi, null, target(2, "new", new HooksConfigured(true, false)),
        instances, Backoff.NONE, NOW);
    assertThat(with.getInstanceStatuses()).extracting(i -> i.getInitializer() == null ? null
        : i.getInitializer().getStatus()).containsExactly("succeeded", null);
    FunctionInstanceStatus without = StatusComputer.compute(fi, null,
        target(2, "new", new HooksConfigured(false, true)), instances, Backoff.NONE, NOW);
    assertThat(without.getInstanceStatuses()).extracting(InstanceStatus::getInitializer).containsOnlyNulls();
  }

  @Test
  void anInstanceShowsWhatItsRuntimeReportedAndWhyItEndedOnlyOnceEnded() {
    ObservedInstance retired = retired("r", "new", 1);
    ObservedInstance going = retired.asTerminating();
    FunctionInstanceStatus status = compute(1, List.of(retired, ready("a", "new", 1, 2)), Backoff.NONE);
    InstanceStatus r = status.getInstanceStatuses().get(1);
    assertThat(r.getPodName()).isEqualTo("r");
    assertThat(r.getTemplateHash()).isEqualTo("new");
    assertThat(r.getInitializer()).isNull();
    assertThat(r.getPreStop()).isNull();
    assertThat(r.getMessage()).isNotNull();
    InstanceStatus terminating = compute(1, List.of(going), Backoff.NONE).getInstanceStatuses().get(0);
    assertThat(terminating.getPhase()).isEqualTo("Terminating");
    assertThat(terminating.getMessage()).as("not ended by itself: deleted").isNull();

    ObservedInstance failed = failed("f", "new", 1);
    InstanceStatus f = compute(1, List.of(failed), Backoff.NONE).getInstanceStatuses().get(0);
    assertThat(f.getPhase()).isEqualTo("InitializerFailed");
    assertThat(f.getMessage()).isEqualTo(FailureDescription.of(failed));
  }

  @Test
  void hookOutcomesComeFromTheTerminationMessage() {
    HookOutcome initializer = new HookOutcome("failed", 12L, "ValueError: boom");
    HookOutcome preStop = new HookOutcome("skipped", null, null);
    ObservedInstance ended = new ObservedInstance(Instances.pod("e", "new", T0), "e", "uid-e", "new", T0,
        InstancePhase.InitializerFailed, null, new Termination(1, "Error", null, null,
            new TerminationMessage("InitializerFailed", "boom", null, initializer, preStop, false, null), 512L));
    InstanceStatus status = compute(1, List.of(ended), Backoff.NONE).getInstanceStatuses().get(0);
    assertThat(status.getInitializer()).isEqualTo(initializer);
    assertThat(status.getPreStop()).isEqualTo(preStop);
  }

  // ---- invalid spec ----

  @Test
  void anInvalidSpecSaysSoInBothConditionsAndKeepsTheBackoffAndInstances() {
    FunctionInstance fi = Fixtures.function("emoji");
    fi.getSpec().setInstances(3);
    FunctionInstanceStatus previous = compute(3, List.of(), backoff(InstancePhase.Retired));
    List<FieldError> errors = List.of(new FieldError("spec.memorySize", "must be a multiple of 64, got 100"),
        new FieldError("spec.cpu", "must be at least 0.05, got 0"));
    FunctionInstanceStatus status = StatusComputer.invalid(fi, previous, errors,
        List.of(ready("a", "new", 1, 2), failed("b", "new", 1)), NOW);
    assertThat(condition(status, Conditions.READY)).extracting(Condition::getStatus, Condition::getReason,
        Condition::getMessage).containsExactly("False", StatusComputer.REASON_INVALID_SPEC,
        errors.get(0) + "; " + errors.get(1));
    assertThat(condition(status, Conditions.PROGRESSING)).extracting(Condition::getStatus, Condition::getReason)
        .containsExactly("False", StatusComputer.REASON_INVALID_SPEC);
    assertThat(status.getBackoff()).isEqualTo(previous.getBackoff()).isNotNull();
    assertThat(status.getReady()).isEqualTo("1/3");
    assertThat(status.getInstances()).isEqualTo(1);
    assertThat(status.getInstanceStatuses()).extracting(InstanceStatus::getPodName).containsExactly("a", "b");
    assertThat(status.getInstanceStatuses().get(0).getInitializer())
        .as("the hooks of an invalid spec are not known").isNull();
    assertThat(StatusComputer.invalid(fi, null, errors, List.of(), NOW).getBackoff()).isNull();
  }

  @Test
  void anInvalidSpecWithoutInstancesAsksForTheDefaultOneAsAValidSpecDoes() {
    FunctionInstance fi = Fixtures.function("emoji");
    fi.getSpec().setInstances(null);
    List<FieldError> errors = List.of(new FieldError("spec.runtime", "unknown runtime python2.7"));
    assertThat(StatusComputer.invalid(fi, null, errors, List.of(), NOW).getReady())
        .isEqualTo("0/" + SpecDefaults.INSTANCES).isEqualTo("0/1");
    fi.setSpec(null);
    assertThat(StatusComputer.invalid(fi, null, errors, List.of(), NOW).getReady()).isEqualTo("0/1");
    assertThat(Fixtures.builder().build(Fixtures.function("emoji")).instances()).as("a valid spec's default")
        .isEqualTo(SpecDefaults.INSTANCES);
  }
}
