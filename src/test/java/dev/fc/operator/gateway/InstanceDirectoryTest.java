package dev.fc.operator.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fc.operator.api.HandlerType;
import dev.fc.operator.elastic.DemandReport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** The slot and holding rules of {@link InstanceDirectory}, on a fake clock, without a network. */
class InstanceDirectoryTest {
  private static final FunctionKey F = new FunctionKey("ns", "f");
  private final FakeTime time = new FakeTime();
  private final FakeWatch watch = new FakeWatch();
  private final InstanceDirectory directory =
      new InstanceDirectory(time, time, InstanceDirectory.DirectoryEvents.NONE, watch);

  /** The startup watches the directory started, answered by the test. */
  private static final class FakeWatch implements StartupWatch {
    record Watch(String pod, StartupEndpoint endpoint, Duration within, BooleanSupplier stillWaiting,
        Runnable initialized, boolean[] cancelled) {
      void succeed() {
        initialized.run();
      }
    }

    final List<Watch> started = new CopyOnWriteArrayList<>();

    @Override
    public Runnable watch(String pod, StartupEndpoint endpoint, Duration within, BooleanSupplier stillWaiting,
        Runnable initialized) {
      boolean[] cancelled = {false};
      started.add(new Watch(pod, endpoint, within, stillWaiting, initialized, cancelled));
      return () -> cancelled[0] = true;
    }
  }

  private static RoutedInstance initializing(String pod) {
    return RoutedInstance.initializing(pod, "127.0.0.1", 9000, new StartupEndpoint("127.0.0.1", 9001, "secret-" + pod));
  }

  private static RoutedFunction function(int concurrency, int maxInstances, InitializerBackoff backoff) {
    // timeout 3 s + Initializer 2 s: a hold lasts at most 5 s
    return new RoutedFunction(F, "uid-1", HandlerType.EVENT, concurrency, 3, 2, maxInstances, backoff);
  }

  private void ready(String... pods) {
    for (String pod : pods) {
      directory.putInstance(F, RoutedInstance.ready(pod, "127.0.0.1", 9000));
    }
  }

  private static String pod(CompletableFuture<Slot> slot) {
    assertThat(slot).isCompleted();
    return slot.join().instance().pod();
  }

  private static GatewayError error(CompletableFuture<Slot> slot) {
    assertThat(slot).isCompletedExceptionally();
    try {
      slot.join();
      throw new AssertionError("not failed");
    } catch (CompletionException e) {
      return ((GatewayError.Failure) e.getCause()).error();
    }
  }

  @Test
  void packsOntoTheBusiestInstanceWithAFreeSlot() {
    directory.putFunction(function(3, 10, null));
    ready("a", "b");
    List<Slot> onA = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      CompletableFuture<Slot> slot = directory.acquire(F);
      assertThat(pod(slot)).isEqualTo("a");
      onA.add(slot.join());
    }
    Slot onB = directory.acquire(F).join();
    assertThat(onB.instance().pod()).as("a is full").isEqualTo("b");
    directory.release(onA.get(0));
    assertThat(pod(directory.acquire(F))).as("a has 2 in flight, b 1: the busier one").isEqualTo("a");
  }

  @Test
  void onATieTheMostRecentlyActiveInstance() {
    directory.putFunction(function(1, 10, null));
    ready("a", "b");
    Slot first = directory.acquire(F).join();
    Slot second = directory.acquire(F).join();
    assertThat(List.of(first.instance().pod(), second.instance().pod())).containsExactly("a", "b");
    directory.release(first);
    directory.release(second);
    assertThat(pod(directory.acquire(F))).isEqualTo("b");
  }

  @Test
  void neverMoreThanTheConcurrencyOnAnInstanceAndHeldInArrivalOrder() {
    directory.putFunction(function(2, 10, null));
    ready("a");
    Slot s1 = directory.acquire(F).join();
    Slot s2 = directory.acquire(F).join();
    CompletableFuture<Slot> h1 = directory.acquire(F);
    CompletableFuture<Slot> h2 = directory.acquire(F);
    assertThat(h1).isNotDone();
    assertThat(h2).isNotDone();
    assertThat(directory.inFlight(F)).isEqualTo(2);
    assertThat(directory.queued(F)).isEqualTo(2);

    time.advance(Duration.ofMillis(700));
    directory.release(s1);
    assertThat(pod(h1)).isEqualTo("a");
    assertThat(h1.join().held()).isTrue();
    assertThat(h1.join().waited()).isEqualTo(Duration.ofMillis(700));
    assertThat(h2).as("the second held one waits for the next slot").isNotDone();
    directory.release(s2);
    assertThat(pod(h2)).isEqualTo("a");
    assertThat(directory.inFlight(F)).isEqualTo(2);
    assertThat(directory.queued(F)).isZero();
    assertThat(s1.held()).isFalse();
  }

  @Test
  void aHeldInvocationIsServedWhenAnInstanceBecomesReady() {
    directory.putFunction(function(1, 10, null));
    CompletableFuture<Slot> held = directory.acquire(F);
    directory.putInstance(F, RoutedInstance.starting("a", "127.0.0.1", 9000));
    assertThat(held).as("not ready yet").isNotDone();
    time.advance(Duration.ofSeconds(2));
    ready("a");
    assertThat(pod(held)).isEqualTo("a");
    assertThat(held.join().waited()).isEqualTo(Duration.ofSeconds(2));
    // its timer was cancelled: nothing fails it later
    time.advance(Duration.ofSeconds(10));
    assertThat(held.join().instance().pod()).isEqualTo("a");
  }

  @Test
  void terminatingInstancesTakeNothing() {
    directory.putFunction(function(1, 10, null));
    directory.putInstance(F, new RoutedInstance("a", "127.0.0.1", 9000, true, true, null, null, null));
    assertThat(directory.acquire(F)).isNotDone();
  }

  @Test
  void theHoldEndsAfterItsBoundWithInstanceStartTimeoutBelowTheCap() {
    directory.putFunction(function(1, 10, null));
    directory.putInstance(F, RoutedInstance.starting("a", "127.0.0.1", 9000));
    CompletableFuture<Slot> held = directory.acquire(F);
    time.advance(Duration.ofMillis(4999));
    assertThat(held).isNotDone();
    time.advance(Duration.ofMillis(1));
    GatewayError error = error(held);
    assertThat(error.status()).isEqualTo(503);
    assertThat(error.errorType()).isEqualTo("InstanceStartTimeout");
    assertThat(error.message()).contains("ns/f", "5000 ms", "Initializer's timeout 2 s", "function's timeout 3 s");
    assertThat(directory.queued(F)).isZero();
  }

  @Test
  void theHoldEndsWithResourceThrottledAtTheInstanceCap() {
    directory.putFunction(function(2, 1, null));
    ready("a");
    directory.acquire(F).join();
    directory.acquire(F).join();
    CompletableFuture<Slot> held = directory.acquire(F);
    time.advance(Duration.ofSeconds(5));
    GatewayError error = error(held);
    assertThat(error.status()).isEqualTo(429);
    assertThat(error.errorType()).isEqualTo("ResourceThrottled");
    assertThat(error.message()).contains("ns/f", "1 of at most 1 instances", "all 2 slots busy");
  }

  @Test
  void anInitializerFailureFailsTheOldestHeldInvocationsThatInstanceWouldHaveServed() {
    directory.putFunction(function(2, 10, null));
    directory.putInstance(F, RoutedInstance.starting("a", "127.0.0.1", 9000));
    CompletableFuture<Slot> h1 = directory.acquire(F);
    CompletableFuture<Slot> h2 = directory.acquire(F);
    CompletableFuture<Slot> h3 = directory.acquire(F);
    directory.putInstance(F, RoutedInstance.initializerFailed("a", "initializer broke"));
    for (CompletableFuture<Slot> failed : List.of(h1, h2)) {
      GatewayError error = error(failed);
      assertThat(error.status()).isEqualTo(200);
      assertThat(error.errorType()).isEqualTo("InitializationError");
      assertThat(error.message()).isEqualTo("initializer broke");
    }
    assertThat(h3).as("the next instance serves it").isNotDone();
    // the same report again (an informer resync) fails no more
    directory.putInstance(F, RoutedInstance.initializerFailed("a", "initializer broke"));
    assertThat(h3).isNotDone();
    ready("b");
    assertThat(pod(h3)).isEqualTo("b");
  }

  @Test
  void duringTheBackoffAfterAnInitializerFailureInvocationsFailFast() {
    directory.putFunction(function(1, 10, null));
    CompletableFuture<Slot> held = directory.acquire(F);
    Instant notBefore = time.instant().plusSeconds(20);
    directory.putFunction(function(1, 10,
        new InitializerBackoff(notBefore, "instance f-x: InitializerFailed: boom", "InitializerFailed")));
    GatewayError heldError = error(held);
    assertThat(heldError.errorType()).isEqualTo("InitializationError");
    assertThat(heldError.message()).contains("boom", notBefore.toString());
    GatewayError fresh = error(directory.acquire(F));
    assertThat(fresh.status()).isEqualTo(200);
    assertThat(fresh.message()).contains("boom");

    time.advance(Duration.ofSeconds(21));
    assertThat(directory.acquire(F)).as("the backoff is over: held again").isNotDone();
  }

  @Test
  void aBackoffAfterRetirementOrWithAReadyInstanceDoesNotFailFast() {
    Instant notBefore = time.instant().plusSeconds(20);
    directory.putFunction(function(1, 10, new InitializerBackoff(notBefore, "killed", "Retired")));
    assertThat(directory.acquire(F)).isNotDone();
    directory.putFunction(function(1, 10, new InitializerBackoff(notBefore, "boom", "InitializerFailed")));
    assertThat(directory.queued(F)).isZero();
    ready("a");
    assertThat(pod(directory.acquire(F))).isEqualTo("a");
  }

  @Test
  void anUnknownOrRemovedFunctionIsNotFound() {
    GatewayError unknown = error(directory.acquire(F));
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.errorType()).isEqualTo("FunctionNotFound");
    assertThat(unknown.message()).contains("f", "ns");

    directory.putFunction(function(1, 10, null));
    CompletableFuture<Slot> held = directory.acquire(F);
    directory.removeFunction(F);
    assertThat(error(held).errorType()).isEqualTo("FunctionNotFound");
  }

  @Test
  void aRecreatedFunctionDropsTheOldInstances() {
    directory.putFunction(function(1, 10, null));
    ready("a");
    Slot old = directory.acquire(F).join();
    directory.putFunction(new RoutedFunction(F, "uid-2", HandlerType.EVENT, 1, 3, 2, 10, null));
    assertThat(directory.instancePods(F)).isEmpty();
    assertThat(directory.inFlight(F)).isZero();
    directory.release(old); // harmless
    assertThat(directory.inFlight(F)).isZero();
  }

  @Test
  void theDemandReportCountsInFlightQueuedAndIdleTime() {
    directory.putFunction(function(1, 10, null));
    directory.putFunction(new RoutedFunction(new FunctionKey("ns", "never"), "u", HandlerType.EVENT, 1, 3, 0, 1,
        null));
    ready("a");
    long v0 = directory.version();
    Slot slot = directory.acquire(F).join();
    CompletableFuture<Slot> held = directory.acquire(F);
    assertThat(directory.version()).isGreaterThan(v0);
    DemandReport busy = directory.demand("gw-1");
    assertThat(busy.gateway()).isEqualTo("gw-1");
    assertThat(busy.functions()).as("only functions routed to").hasSize(1);
    DemandReport.FunctionDemand f = busy.functions().get(0);
    assertThat(f.inFlight()).isEqualTo(1);
    assertThat(f.queued()).isEqualTo(1);
    assertThat(f.instances()).containsExactly(new DemandReport.InstanceActivity("a", 1, 0));

    directory.release(slot);
    directory.release(held.join());
    long idleVersion = directory.version();
    time.advance(Duration.ofMillis(1500));
    DemandReport idle = directory.demand("gw-1");
    assertThat(idle.version()).as("idle time growing is no change").isEqualTo(idleVersion);
    assertThat(idle.functions().get(0).instances()).containsExactly(new DemandReport.InstanceActivity("a", 0, 1500));

    directory.removeInstance(F, "a");
    assertThat(directory.demand("gw-1").functions().get(0).instances()).isEmpty();
    assertThat(directory.version()).isGreaterThan(idleVersion);
    directory.removeFunction(F);
    assertThat(directory.demand("gw-1").functions()).isEmpty();
  }

  @Test
  void changeAfterAnswersAtOnceForAnOldVersionElseOnAChangeElseAfterTheWait() {
    directory.putFunction(function(1, 10, null));
    ready("a");
    long v = directory.version();
    assertThat(directory.changeAfter(v - 1, Duration.ofSeconds(30))).isCompletedWithValue(v);

    CompletableFuture<Long> change = directory.changeAfter(v, Duration.ofSeconds(30));
    assertThat(change).isNotDone();
    directory.acquire(F).join();
    assertThat(change).isCompleted();
    assertThat(change.join()).isGreaterThan(v);

    long now = directory.version();
    CompletableFuture<Long> quiet = directory.changeAfter(now, Duration.ofSeconds(2));
    time.advance(Duration.ofMillis(1999));
    assertThat(quiet).isNotDone();
    time.advance(Duration.ofMillis(1));
    assertThat(quiet).isCompletedWithValue(now);
  }

  // ---- the early mark: routing as soon as the Initializer succeeded --------------------------

  @Test
  void anInitializingInstanceIsWatchedOnceAndServesTheHeldInvocationWhenItsInitializerSucceeded() {
    directory.putFunction(function(1, 10, null));
    CompletableFuture<Slot> held = directory.acquire(F);
    directory.putInstance(F, initializing("a"));
    directory.putInstance(F, initializing("a")); // another status update while it initializes
    assertThat(watch.started).hasSize(1);
    FakeWatch.Watch w = watch.started.get(0);
    assertThat(w.endpoint()).isEqualTo(new StartupEndpoint("127.0.0.1", 9001, "secret-a"));
    assertThat(w.within()).as("the Initializer's timeout 2 s + 15 s").isEqualTo(Duration.ofSeconds(17));
    assertThat(w.stillWaiting().getAsBoolean()).isTrue();
    assertThat(held).as("initializing: not routable yet").isNotDone();

    time.advance(Duration.ofMillis(980));
    w.succeed();
    assertThat(pod(held)).isEqualTo("a");
    assertThat(held.join().held()).isTrue();
    assertThat(held.join().waited()).isEqualTo(Duration.ofMillis(980));
    assertThat(w.stillWaiting().getAsBoolean()).as("answered").isFalse();

    directory.release(held.join());
    directory.putInstance(F, RoutedInstance.ready("a", "127.0.0.1", 9000)); // the kubelet's Ready, later
    assertThat(pod(directory.acquire(F))).isEqualTo("a");
    assertThat(watch.started).hasSize(1);
  }

  @Test
  void withoutATokenAnInitializingPodIsNotWatchedAndWaitsForReady() {
    directory.putFunction(function(1, 10, null));
    directory.putInstance(F, RoutedInstance.starting("a", "127.0.0.1", 9000));
    assertThat(watch.started).isEmpty();
    CompletableFuture<Slot> held = directory.acquire(F);
    assertThat(held).isNotDone();
    directory.putInstance(F, RoutedInstance.ready("a", "127.0.0.1", 9000));
    assertThat(pod(held)).isEqualTo("a");
  }

  @Test
  void terminatingOrTerminatedWinsOverTheEarlyMark() {
    directory.putFunction(function(1, 10, null));
    directory.putInstance(F, initializing("a"));
    directory.putInstance(F, initializing("b"));
    watch.started.forEach(FakeWatch.Watch::succeed);
    directory.putInstance(F, new RoutedInstance("a", "127.0.0.1", 9000, false, true, null, null, null));
    directory.putInstance(F, new RoutedInstance("b", "127.0.0.1", 9000, false, false,
        dev.fc.operator.api.InstancePhase.Retired, null, null));
    assertThat(directory.acquire(F)).as("neither takes invocations").isNotDone();
  }

  @Test
  void aRemovedOrEndedInstanceStopsItsWatchAndALateAnswerChangesNothing() {
    directory.putFunction(function(1, 10, null));
    directory.putInstance(F, initializing("a"));
    directory.putInstance(F, initializing("b"));
    FakeWatch.Watch a = watch.started.get(0);
    FakeWatch.Watch b = watch.started.get(1);
    directory.removeInstance(F, "a");
    directory.putInstance(F, RoutedInstance.initializerFailed("b", "Initializer index.init failed: boom"));
    assertThat(a.cancelled()[0]).isTrue();
    assertThat(b.cancelled()[0]).isTrue();
    assertThat(a.stillWaiting().getAsBoolean()).isFalse();
    assertThat(b.stillWaiting().getAsBoolean()).isFalse();
    a.succeed();
    b.succeed();
    assertThat(directory.acquire(F)).isNotDone();
  }

  @Test
  void anInitializerFailureAfterAnUnansweredWatchStillFailsTheHeldInvocation() {
    directory.putFunction(function(1, 10, null));
    CompletableFuture<Slot> held = directory.acquire(F);
    directory.putInstance(F, initializing("a"));
    directory.putInstance(F, RoutedInstance.initializerFailed("a", "Initializer index.init failed: boom"));
    assertThat(error(held).errorType()).isEqualTo("InitializationError");
  }

  @Test
  void onceReadyThePodsConditionGovernsAgain() {
    directory.putFunction(function(1, 10, null));
    directory.putInstance(F, initializing("a"));
    watch.started.get(0).succeed();
    directory.putInstance(F, RoutedInstance.ready("a", "127.0.0.1", 9000));
    directory.putInstance(F, initializing("a")); // Ready went False again (the runtime is stopping)
    assertThat(directory.acquire(F)).isNotDone();
    assertThat(watch.started).as("never a second watch").hasSize(1);
  }

  @Test
  void aRecreatedOrRemovedFunctionStopsTheWatchesOfItsInstances() {
    directory.putFunction(function(1, 10, null));
    directory.putInstance(F, initializing("a"));
    directory.putFunction(new RoutedFunction(F, "uid-2", HandlerType.EVENT, 1, 3, 2, 10, null));
    directory.putInstance(F, initializing("b"));
    directory.removeFunction(F);
    assertThat(watch.started).hasSize(2).allSatisfy(w -> {
      assertThat(w.cancelled()[0]).isTrue();
      assertThat(w.stillWaiting().getAsBoolean()).isFalse();
    });
  }
}
