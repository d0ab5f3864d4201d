package dev.fc.operator.reconciler;

import static dev.fc.operator.reconciler.Instances.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fc.operator.api.InstancePhase;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The informer cache lags behind the operator's own writes; expectations make up the difference. */
class InstanceExpectationsTest {
  private final SettableClock clock = new SettableClock(T0);
  private final InstanceExpectations expectations = new InstanceExpectations(clock);

  @Test
  void aCreatedPodTheCacheDoesNotShowYetStillCountsSoNoDuplicateIsCreated() {
    Pod created = Instances.pod("a", "h", T0);
    expectations.expectCreation("fi", created);
    List<ObservedInstance> seen = expectations.apply("fi", List.of(), InstanceHistory.NONE);
    assertThat(seen).extracting(ObservedInstance::name).containsExactly("a");
    InstancePlan plan = InstancePlanner.plan(1, "h", seen, Backoff.NONE, clock.instant(), ReconcilerSettings.defaults());
    assertThat(plan.toCreate()).isZero();
    // once the cache has it, the expectation is gone: the cache alone speaks
    assertThat(expectations.apply("fi", List.of(created), InstanceHistory.NONE)).hasSize(1);
    assertThat(expectations.apply("fi", List.of(), InstanceHistory.NONE)).isEmpty();
  }

  @Test
  void aDeletedPodTheCacheStillShowsCountsAsTerminatingSoNoSecondOneIsDeleted() {
    Pod a = Instances.pod("a", "h", T0);
    Pod b = Instances.pod("b", "h", T0);
    expectations.deleted("fi", "uid-a");
    List<ObservedInstance> seen = expectations.apply("fi", List.of(a, b), InstanceHistory.NONE);
    assertThat(seen).filteredOn(ObservedInstance::terminating).extracting(ObservedInstance::name).containsExactly("a");
    InstancePlan plan = InstancePlanner.plan(1, "h", seen, Backoff.NONE, clock.instant(), ReconcilerSettings.defaults());
    assertThat(plan.toDelete()).isEmpty();
    assertThat(expectations.apply("fi", List.of(b), InstanceHistory.NONE)).extracting(ObservedInstance::phase)
        .containsExactly(InstancePhase.Pending);
  }

  @Test
  void aPodSeenAddedThenDeletedBeforeTheReconcileIsNotExpectedAnyMore() {
    Pod created = Instances.pod("a", "h", T0);
    expectations.expectCreation("fi", created);
    expectations.observedAdd(created);
    assertThat(expectations.apply("fi", List.of(), InstanceHistory.NONE)).isEmpty();
  }

  @Test
  void aRefusedCreationIsNotExpected() {
    Pod refused = Instances.pod("a", "h", T0);
    expectations.expectCreation("fi", refused);
    expectations.creationFailed("fi", refused);
    assertThat(expectations.apply("fi", List.of(), InstanceHistory.NONE)).isEmpty();
  }

  @Test
  void expectationsTheCacheNeverConfirmsExpire() {
    expectations.expectCreation("fi", Instances.pod("a", "h", T0));
    expectations.expectCreation("gone", Instances.pod("g", "h", T0));
    clock.set(T0.plus(InstanceExpectations.TTL).plusSeconds(1));
    assertThat(expectations.apply("fi", List.of(), InstanceHistory.NONE)).isEmpty();
    assertThat(expectations.apply("gone", List.of(), InstanceHistory.NONE)).isEmpty();
  }

  @Test
  void aFunctionsOwnExpectationsExpireAtTheTtlWhetherOrNotTheSweepIsDue() {
    expectations.expectCreation("fi", Instances.pod("a", "h", T0));
    clock.set(T0.plus(InstanceExpectations.TTL));
    assertThat(expectations.apply("fi", List.of(), InstanceHistory.NONE)).as("not expired yet").hasSize(1);
    clock.set(clock.instant().plusMillis(1)); // the sweep just ran: not due
    assertThat(expectations.apply("fi", List.of(), InstanceHistory.NONE)).isEmpty();
  }

  @Test
  void otherFunctionsExpectationsAreSweptAtMostOncePerInterval() {
    expectations.expectCreation("gone", Instances.pod("g", "h", T0)); // a FunctionInstance deleted since
    clock.set(T0.plus(InstanceExpectations.TTL).minusMillis(500));
    expectations.apply("fi", List.of(), InstanceHistory.NONE); // sweeps: nothing expired yet
    assertThat(expectations.trackedFunctions()).isEqualTo(1);
    clock.set(T0.plus(InstanceExpectations.TTL).plusMillis(1));
    expectations.apply("fi", List.of(), InstanceHistory.NONE);
    assertThat(expectations.trackedFunctions()).as("expired, but swept 0.5 s ago: not yet again").isEqualTo(1);
    clock.set(T0.plus(InstanceExpectations.TTL).minusMillis(500).plus(InstanceExpectations.SWEEP_INTERVAL)
        .plusMillis(1));
    expectations.apply("fi", List.of(), InstanceHistory.NONE);
    assertThat(expectations.trackedFunctions()).isZero();
  }
}
