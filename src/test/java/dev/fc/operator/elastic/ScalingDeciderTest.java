package dev.fc.operator.elastic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fc.operator.elastic.FunctionDemand.PodActivity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScalingDeciderTest {
  static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
  static final Duration IDLE = Duration.ofSeconds(300);
  /** minInstances 0, maxInstances 10, idleTimeout 300 s, 5 invocations per instance. */
  static final ElasticBounds BOUNDS = new ElasticBounds(0, 10, IDLE, 5);

  static InstanceView ready(String pod, Duration readyFor) {
    return new InstanceView(pod, true, NOW.minus(readyFor));
  }

  static InstanceView starting(String pod) {
    return new InstanceView(pod, false, null);
  }

  static FunctionDemand demand(int inFlight, int queued) {
    return new FunctionDemand(inFlight, queued, Map.of(), true);
  }

  static List<InstanceView> readyInstances(int count, Duration readyFor) {
    List<InstanceView> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(ready("p" + i, readyFor));
    }
    return out;
  }

  @ParameterizedTest(name = "{0} in flight + {1} held, {2} live (had {3}) -> {4} {5}")
  @CsvSource({
      // demand to count: ceil(invocations / 5), never below what exists for lack of demand alone
      "0, 1, 0, 0, 1, Demand",
      "0, 20, 0, 0, 4, Demand",
      "5, 15, 1, 1, 4, Demand",
      "10, 11, 3, 3, 5, Demand",
      "5, 0, 1, 1, 1, ",
      "0, 0, 3, 3, 3, ",
      // bounds: maxInstances caps, minInstances floors
      "0, 200, 0, 0, 10, MaxInstances",
      "0, 200, 10, 10, 10, ",
      // an instance ended (say its Initializer failed): replaced only while invocations need it
      "0, 0, 0, 1, 0, InstanceEnded",
      "0, 1, 0, 1, 1, ",
      "0, 6, 1, 2, 2, ",
  })
  void demandToInstanceCount(int inFlight, int queued, int live, int previous, int expected, String reason) {
    ScalingDecision decision = ScalingDecider.decide(BOUNDS, previous, readyInstances(live, Duration.ofSeconds(1)),
        demand(inFlight, queued), NOW);
    assertThat(decision.desired()).isEqualTo(expected);
    assertThat(decision.reason()).isEqualTo(reason == null ? null : ScalingReason.valueOf(reason));
    assertThat(decision.changed()).isEqualTo(reason != null);
    assertThat(decision.reclaim()).isEmpty();
  }

  @Test
  void aFunctionThatBecomesElasticKeepsItsLiveInstancesWithinTheBounds() {
    assertThat(ScalingDecider.decide(BOUNDS, null, readyInstances(3, Duration.ofSeconds(1)), demand(0, 0), NOW))
        .extracting(ScalingDecision::desired, ScalingDecision::reason).containsExactly(3, ScalingReason.Initial);
    assertThat(ScalingDecider.decide(BOUNDS, null, readyInstances(12, Duration.ofSeconds(1)), demand(0, 0), NOW))
        .extracting(ScalingDecision::desired, ScalingDecision::reason)
        .containsExactly(10, ScalingReason.MaxInstances);
    assertThat(ScalingDecider.decide(BOUNDS, null, readyInstances(1, Duration.ofSeconds(1)), demand(0, 6), NOW))
        .as("demand already there when it becomes elastic").extracting(ScalingDecision::desired,
            ScalingDecision::reason).containsExactly(2, ScalingReason.Demand);
    ElasticBounds two = new ElasticBounds(2, 10, IDLE, 5);
    assertThat(ScalingDecider.decide(two, null, List.of(), demand(0, 0), NOW))
        .extracting(ScalingDecision::desired, ScalingDecision::reason)
        .containsExactly(2, ScalingReason.MinInstances);
  }

  @Test
  void minInstancesAreKeptThoughIdleAndCreatedWithoutDemand() {
    ElasticBounds two = new ElasticBounds(2, 10, IDLE, 5);
    ScalingDecision decision = ScalingDecider.decide(two, 2, readyInstances(2, Duration.ofHours(1)), demand(0, 0),
        NOW);
    assertThat(decision.desired()).isEqualTo(2);
    assertThat(decision.reclaim()).isEmpty();
    assertThat(decision.recheckAfter()).as("nothing can go: no need to look again").isNull();
    // an instance of the two ended: the count stays at min, so it comes back without an invocation
    assertThat(ScalingDecider.decide(two, 2, readyInstances(1, Duration.ofHours(1)), demand(0, 0), NOW))
        .extracting(ScalingDecision::desired, ScalingDecision::changed)
        .containsExactly(2, false);
  }

  @Test
  void idleInstancesGoIdlestFirstDownToMinInstances() {
    ElasticBounds one = new ElasticBounds(1, 10, IDLE, 5);
    Map<String, PodActivity> pods = new HashMap<>();
    pods.put("a", new PodActivity(0, NOW.minusSeconds(400)));
    pods.put("b", new PodActivity(0, NOW.minusSeconds(900)));
    pods.put("c", new PodActivity(0, NOW.minusSeconds(301)));
    List<InstanceView> live = List.of(ready("a", Duration.ofHours(1)), ready("b", Duration.ofHours(1)),
        ready("c", Duration.ofHours(1)));
    ScalingDecision decision = ScalingDecider.decide(one, 3, live, new FunctionDemand(0, 0, pods, true), NOW);
    assertThat(decision.reclaim()).containsExactly("b", "a");
    assertThat(decision.desired()).isEqualTo(1);
    assertThat(decision.reason()).isEqualTo(ScalingReason.IdleReclaim);
    assertThat(decision.message()).contains("reclaimed b (idle 900s), a (idle 400s)").contains("bounds 1..10");
  }

  @Test
  void anInstanceNoGatewayRoutedToIsIdleSinceItBecameReady() {
    ScalingDecision decision = ScalingDecider.decide(BOUNDS, 2,
        List.of(ready("old", Duration.ofSeconds(300)), ready("new", Duration.ofSeconds(299))), demand(0, 0), NOW);
    assertThat(decision.reclaim()).containsExactly("old");
    assertThat(decision.desired()).isEqualTo(1);
    assertThat(decision.recheckAfter()).as("the other reaches idleTimeout in 1 s").isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void aBusyOrStartingInstanceIsNeverReclaimed() {
    Map<String, PodActivity> pods = Map.of("busy", new PodActivity(1, NOW.minusSeconds(3600)));
    ScalingDecision decision = ScalingDecider.decide(BOUNDS, 2,
        List.of(ready("busy", Duration.ofHours(2)), starting("starting")), new FunctionDemand(1, 0, pods, true), NOW);
    assertThat(decision.reclaim()).isEmpty();
    assertThat(decision.desired()).isEqualTo(2);
  }

  @Test
  void nothingIsReclaimedBelowWhatTheDemandNeeds() {
    // 6 invocations at 5 per instance need 2; three instances, all idle by their own activity record
    Map<String, PodActivity> pods = Map.of(
        "a", new PodActivity(0, NOW.minusSeconds(500)),
        "b", new PodActivity(0, NOW.minusSeconds(600)),
        "c", new PodActivity(0, NOW.minusSeconds(700)));
    List<InstanceView> live = List.of(ready("a", Duration.ofHours(1)), ready("b", Duration.ofHours(1)),
        ready("c", Duration.ofHours(1)));
    ScalingDecision decision = ScalingDecider.decide(BOUNDS, 3, live, new FunctionDemand(0, 6, pods, true), NOW);
    assertThat(decision.reclaim()).containsExactly("c");
    assertThat(decision.desired()).isEqualTo(2);
  }

  @Test
  void aSilentGatewayReplicaHoldsReclaimAndAsksForAnotherLookSoon() {
    ScalingDecision decision = ScalingDecider.decide(BOUNDS, 1, List.of(ready("a", Duration.ofHours(1))),
        new FunctionDemand(0, 0, Map.of(), false), NOW);
    assertThat(decision.reclaim()).isEmpty();
    assertThat(decision.desired()).isEqualTo(1);
    assertThat(decision.changed()).isFalse();
    assertThat(decision.recheckAfter()).isEqualTo(ScalingDecider.SILENT_GATEWAY_RECHECK);
    assertThat(decision.message()).contains("silent");
    // scale-up still follows what the replicas that answered say
    assertThat(ScalingDecider.decide(BOUNDS, 0, List.of(), new FunctionDemand(0, 3, Map.of(), false), NOW).desired())
        .isEqualTo(1);
  }

  @Test
  void theNextLookIsWhenTheIdlestRemainingInstanceReachesIdleTimeout() {
    Map<String, PodActivity> pods = Map.of(
        "a", new PodActivity(0, NOW.minusSeconds(100)),
        "b", new PodActivity(0, NOW.minusSeconds(250)));
    ScalingDecision decision = ScalingDecider.decide(BOUNDS, 2,
        List.of(ready("a", Duration.ofHours(1)), ready("b", Duration.ofHours(1))), new FunctionDemand(0, 0, pods,
            true), NOW);
    assertThat(decision.reclaim()).isEmpty();
    assertThat(decision.recheckAfter()).isEqualTo(Duration.ofSeconds(50));
  }

  @Test
  void aReadyInstanceWithoutAReadyTimeIsNotTakenForIdle() {
    ScalingDecision decision = ScalingDecider.decide(BOUNDS, 1, List.of(new InstanceView("a", true, null)),
        demand(0, 0), NOW);
    assertThat(decision.reclaim()).isEmpty();
  }

  @Test
  void theMergerSumsReplicasAndKeepsTheLatestActivity() {
    Instant t = NOW;
    DemandReport one = new DemandReport("g1", 3, List.of(new DemandReport.FunctionDemand("ns", "f", 2, 1,
        List.of(new DemandReport.InstanceActivity("a", 2, 0), new DemandReport.InstanceActivity("b", 0, 10_000)))));
    DemandReport two = new DemandReport("g2", 9, List.of(
        new DemandReport.FunctionDemand("ns", "f", 1, 4, List.of(new DemandReport.InstanceActivity("b", 0, 4_000))),
        new DemandReport.FunctionDemand("other", "f", 50, 50, List.of())));
    FunctionDemand merged = DemandMerger.merge("ns", "f",
        List.of(new DemandMerger.Received(one, t), new DemandMerger.Received(two, t.minusSeconds(1))), true);
    assertThat(merged.inFlight()).isEqualTo(3);
    assertThat(merged.queued()).isEqualTo(5);
    assertThat(merged.pods().get("a")).isEqualTo(new PodActivity(2, t));
    assertThat(merged.pods().get("b")).isEqualTo(new PodActivity(0, t.minusSeconds(5)));
  }
}
