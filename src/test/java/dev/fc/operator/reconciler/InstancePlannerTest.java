package dev.fc.operator.reconciler;

import static dev.fc.operator.reconciler.Instances.T0;
import static dev.fc.operator.reconciler.Instances.failed;
import static dev.fc.operator.reconciler.Instances.ready;
import static dev.fc.operator.reconciler.Instances.retired;
import static dev.fc.operator.reconciler.Instances.starting;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fc.operator.api.InstancePhase;
import dev.fc.operator.reconciler.InstancePlan.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class InstancePlannerTest {
  static final ReconcilerSettings SETTINGS = ReconcilerSettings.defaults();
  static final Instant NOW = T0.plusSeconds(1000);

  private static InstancePlan plan(int desired, List<ObservedInstance> instances) {
    return plan(desired, instances, Backoff.NONE, NOW);
  }

  private static InstancePlan plan(int desired, List<ObservedInstance> instances, Backoff backoff, Instant now) {
    return InstancePlanner.plan(desired, "new", instances, backoff, now, SETTINGS);
  }

  private static Backoff backoff(int failures, Instant notBefore, String templateHash) {
    return new Backoff(failures, notBefore, SETTINGS.backoffDelay(failures), "x", InstancePhase.InitializerFailed,
        templateHash);
  }

  private static boolean changesSomething(InstancePlan plan) {
    return plan.toCreate() > 0 || !plan.toDelete().isEmpty();
  }

  private static List<String> deleted(InstancePlan plan) {
    return plan.toDelete().stream().map(d -> d.instance().name() + ":" + d.reason()).toList();
  }

  @Test
  void createsUpToTheDesiredCount() {
    assertThat(plan(3, List.of()).toCreate()).isEqualTo(3);
    assertThat(plan(3, List.of(starting("a", "new", 1))).toCreate()).isEqualTo(2);
    assertThat(changesSomething(plan(0, List.of()))).isFalse();
  }

  @Test
  void nothingToDoWhenConverged() {
    InstancePlan plan = plan(2, List.of(ready("a", "new", 1, 2), ready("b", "new", 1, 3)));
    assertThat(changesSomething(plan)).isFalse();
    assertThat(plan.requeueAfter()).isNull();
  }

  @Test
  void rolloutSurgesOneAndKeepsReadyCapacity() {
    // two old ready: one new pod, nothing deleted
    InstancePlan first = plan(2, List.of(ready("o1", "old", 1, 2), ready("o2", "old", 1, 2)));
    assertThat(first.toCreate()).isEqualTo(1);
    assertThat(first.toDelete()).isEmpty();
    // the new pod is not ready yet: wait
    InstancePlan waiting = plan(2, List.of(ready("o1", "old", 1, 2), ready("o2", "old", 1, 2),
        starting("n1", "new", 10)));
    assertThat(changesSomething(waiting)).isFalse();
    // the new pod is ready: one old pod goes, the next new one comes
    InstancePlan next = plan(2, List.of(ready("o1", "old", 1, 2), ready("o2", "old", 1, 5),
        ready("n1", "new", 10, 20)));
    assertThat(deleted(next)).containsExactly("o2:STALE");
    assertThat(next.toCreate()).isEqualTo(1);
  }

  @Test
  void staleInstancesThatAreNotReadyGoAtOnce() {
    InstancePlan plan = plan(2, List.of(starting("o1", "old", 1), starting("o2", "old", 2)));
    assertThat(deleted(plan)).containsExactlyInAnyOrder("o1:STALE", "o2:STALE");
    assertThat(plan.toCreate()).isEqualTo(2);
  }

  @Test
  void scaleDownRemovesNotReadyFirstThenMostRecentlyReadyThenNewest() {
    List<ObservedInstance> five = List.of(
        ready("a", "new", 1, 100),
        ready("b", "new", 2, 300),
        ready("c", "new", 3, 200),
        starting("d", "new", 0),
        starting("e", "new", 9));
    assertThat(deleted(plan(2, five))).containsExactly("e:SCALE_DOWN", "d:SCALE_DOWN", "b:SCALE_DOWN");
    assertThat(deleted(plan(0, five))).hasSize(5);
    // equal ready times: the newest goes first
    assertThat(deleted(plan(1, List.of(ready("x", "new", 1, 50), ready("y", "new", 2, 50)))))
        .containsExactly("y:SCALE_DOWN");
  }

  @Test
  void aFailedInstanceIsDeletedAndReplacedAfterTheBackoff() {
    InstancePlan plan = plan(1, List.of(failed("a", "new", 1)));
    assertThat(deleted(plan)).containsExactly("a:FAILED");
    assertThat(plan.toCreate()).as("no replacement before the backoff").isZero();
    assertThat(plan.backoff().consecutiveFailures()).isEqualTo(1);
    assertThat(plan.backoff().notBefore()).isEqualTo(NOW.plusSeconds(1));
    assertThat(plan.backoff().lastFailure()).contains("InitializerFailed").contains("boom");
    assertThat(plan.requeueAfter()).isEqualTo(Duration.ofSeconds(1));

    InstancePlan later = plan(1, List.of(), plan.backoff(), NOW.plusSeconds(1));
    assertThat(later.toCreate()).isEqualTo(1);
  }

  @Test
  void backoffDoublesUpToItsCapAndResetsOnceAnInstanceStaysReady() {
    assertThat(SETTINGS.backoffDelay(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(SETTINGS.backoffDelay(2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(SETTINGS.backoffDelay(5)).isEqualTo(Duration.ofSeconds(16));
    assertThat(SETTINGS.backoffDelay(9)).isEqualTo(Duration.ofMinutes(4).plusSeconds(16));
    assertThat(SETTINGS.backoffDelay(10)).isEqualTo(Duration.ofMinutes(5));
    assertThat(SETTINGS.backoffDelay(1000)).isEqualTo(Duration.ofMinutes(5));

    Backoff three = backoff(3, NOW.minusSeconds(1), "new");
    InstancePlan fresh = plan(1, List.of(ready("a", "new", 1, 990)), three, NOW);
    assertThat(fresh.backoff().consecutiveFailures()).as("ready for 10 s only").isEqualTo(3);
    assertThat(fresh.requeueAfter()).isEqualTo(Duration.ofSeconds(20));
    InstancePlan settled = plan(1, List.of(ready("a", "new", 1, 970)), three, NOW);
    assertThat(settled.backoff()).isEqualTo(Backoff.NONE);
  }

  @Test
  void aFailingNewTemplateNeverTakesDownTheOldInstances() {
    InstancePlan plan = plan(1, List.of(ready("o1", "old", 1, 2), failed("n1", "new", 10)));
    assertThat(deleted(plan)).containsExactly("n1:FAILED");
    assertThat(plan.toCreate()).isZero();
  }

  @Test
  void aNewTemplateStartsWithoutTheOldTemplatesBackoff() {
    Backoff old = backoff(7, NOW.plusSeconds(48), "old");
    InstancePlan fixed = plan(1, List.of(), old, NOW);
    assertThat(fixed.toCreate()).as("the new template's first pod does not wait").isEqualTo(1);
    assertThat(fixed.backoff()).isEqualTo(Backoff.NONE);
    assertThat(fixed.requeueAfter()).isNull();
    // nor while instances of the old template are still there, failed or initializing
    InstancePlan withOld = plan(2, List.of(failed("o1", "old", 1), starting("o2", "old", 2)), old, NOW);
    assertThat(deleted(withOld)).containsExactlyInAnyOrder("o1:FAILED", "o2:STALE");
    assertThat(withOld.toCreate()).isEqualTo(2);
    assertThat(withOld.backoff()).as("a failed instance of an old template adds nothing").isEqualTo(Backoff.NONE);
    // a backoff written before it named its template counts as another template's
    assertThat(plan(1, List.of(), backoff(7, NOW.plusSeconds(48), null), NOW).toCreate()).isEqualTo(1);
    // the current template's own backoff holds
    InstancePlan waiting = plan(1, List.of(), backoff(7, NOW.plusSeconds(48), "new"), NOW);
    assertThat(waiting.toCreate()).isZero();
    assertThat(waiting.requeueAfter()).isEqualTo(Duration.ofSeconds(48));
  }

  @Test
  void theBackoffRecordsItsTemplateAndTheLastFailedInstancesPhase() {
    InstancePlan first = plan(1, List.of(failed("n1", "new", 1)), backoff(7, NOW.minusSeconds(1), "old"), NOW);
    assertThat(first.backoff().consecutiveFailures()).as("counted afresh for the new template").isEqualTo(1);
    assertThat(first.backoff().templateHash()).isEqualTo("new");
    assertThat(first.backoff().notBefore()).isEqualTo(NOW.plusSeconds(1));
    assertThat(first.backoff().lastFailurePhase()).isEqualTo(InstancePhase.InitializerFailed);
    InstancePlan second = plan(1, List.of(retired("n2", "new", 5)), first.backoff(), NOW.plusSeconds(2));
    assertThat(second.backoff().consecutiveFailures()).isEqualTo(2);
    assertThat(second.backoff().lastFailurePhase()).isEqualTo(InstancePhase.Retired);
    assertThat(second.backoff().lastFailure()).contains("InvocationTimeout");
    assertThat(Backoff.fromStatus(second.backoff().toStatus())).isEqualTo(second.backoff());
  }
}
