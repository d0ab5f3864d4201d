package dev.fc.operator.kube;

import static dev.fc.operator.kube.FcKube.SLOW;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fc.operator.Await;
import dev.fc.operator.api.Code;
import dev.fc.operator.api.FunctionInstanceStatus;
import dev.fc.operator.desired.Labels;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Rollouts and scale-down as docs/operator.md promises them, with pods that really become ready: the hollow
 * kubelet runs each pod's startup and readiness probes and its preStop hook against
 * {@link PodLifecycleResponder}. A pod watch records every change the API server made, in order.
 */
@ExtendWith(KubeTierExtension.class)
class OperatorRolloutIT {
  private static PodLifecycleResponder lifecycle;

  private KubernetesClient admin;
  private String ns;
  private FcKube.RunningOperator operator;

  @BeforeAll
  static void cluster(KubeTier tier) {
    tier.withNode();
    lifecycle = PodLifecycleResponder.shared();
    FcKube.installCrd(tier.adminClient());
  }

  @BeforeEach
  void start(KubeTier tier) {
    lifecycle.reset();
    admin = tier.adminClient();
    ns = tier.createNamespace("rollout");
    operator = FcKube.startOperator(tier.newAdminClient(), ns);
  }

  @AfterEach
  void stop() {
    lifecycle.reset(); // a test that failed half-way must not leave /startup failing
    if (operator != null) {
      operator.close();
    }
  }

  @Test
  void aCodeChangeRollsTheInstancesWithoutLosingReadyCapacityAndRunsPreStopForEachOldOne() {
    admin.resource(FcKube.function(ns, "emoji", 2)).create();
    FcKube.awaitStatus(admin, ns, "emoji", "2/2 Ready", s -> FcKube.settled(s, 2));
    List<Pod> old = FcKube.pods(admin, ns, "emoji");
    assertThat(old).hasSize(2);
    String oldHash = FcKube.hash(old.get(0));
    String oldCode = codeConfigMap(old.get(0));
    int preStops = lifecycle.count(PodLifecycleResponder.PRE_STOP);

    try (PodWatch watch = PodWatch.start(admin, ns, Labels.instanceSelectorString("emoji"))) {
      FcKube.edit(admin, ns, "emoji", fi -> fi.getSpec().setCode(Code.inline(Map.of("index.py",
          "def handler(event, context):\n    return b'v2'\n"))));

      FunctionInstanceStatus rolling = FcKube.awaitStatus(admin, ns, "emoji", "RollingOut",
          s -> "RollingOut".equals(FcKube.progressingReason(s)));
      assertThat(rolling.getReadyInstances()).isGreaterThanOrEqualTo(2);
      Await.until("old pods gone and 2 new ones ready", () -> {
        List<Pod> now = FcKube.pods(admin, ns, "emoji");
        return now.size() == 2 && now.stream().allMatch(p -> !oldHash.equals(FcKube.hash(p)) && FcKube.isReady(p));
      }, SLOW);
      FcKube.awaitStatus(admin, ns, "emoji", "2/2 Ready and Stable", s -> FcKube.settled(s, 2));

      System.err.println("OperatorRolloutIT: pods during the rollout\n" + watch.timeline());
      assertThat(watch.failure()).as("the watch saw every change").isNull();
      assertThat(watch.minServing()).as("ready pods never dropped below 2 during the rollout:\n" + watch.timeline())
          .isGreaterThanOrEqualTo(2);
      assertThat(watch.maxLive()).as("one surge pod at a time:\n" + watch.timeline()).isLessThanOrEqualTo(3);
      assertThat(watch.deletionOrder()).as(watch.timeline())
          .containsExactlyInAnyOrderElementsOf(old.stream().map(FcKube::name).toList());
    }
    // a pod is gone only after the kubelet ran its preStop hook
    assertThat(lifecycle.count(PodLifecycleResponder.PRE_STOP) - preStops)
        .as("PreStop ran once for each old pod").isEqualTo(2);
    List<String> reasons = FcKube.eventReasons(admin, ns, "emoji");
    assertThat(reasons).contains("RolloutStarted", "RolloutFinished");
    assertThat(FcKube.events(admin, ns, "emoji")).filteredOn(e -> "InstanceDeleted".equals(e.getReason()))
        .extracting(Event::getMessage).hasSize(2).allMatch(m -> m.contains("(replaced by template "));
    Await.until("the old code's ConfigMap deleted once no pod mounts it", () -> FcKube.configMaps(admin, ns, "emoji")
        .stream().noneMatch(cm -> cm.getMetadata().getName().equals(oldCode)), SLOW);
    assertThat(lifecycle.unexpected()).isEmpty();
  }

  @Test
  void scaleDownDeletesTheNotReadyInstanceFirstThenTheMostRecentlyReady() {
    admin.resource(FcKube.function(ns, "emoji", 1)).create();
    FcKube.awaitStatus(admin, ns, "emoji", "1/1 Ready", s -> FcKube.settled(s, 1));
    Pod first = FcKube.pods(admin, ns, "emoji").get(0);
    Instant firstReady = FcKube.readySince(first);
    // readiness is kept to the second: start the second instance in a later second than the first got ready
    Await.until("a new second", () -> Instant.now().getEpochSecond() > firstReady.getEpochSecond());

    FcKube.fi(admin, ns, "emoji").scale(2); // kubectl scale fi/emoji --replicas=2
    FcKube.awaitStatus(admin, ns, "emoji", "2/2 Ready", s -> FcKube.settled(s, 2));
    Pod second = FcKube.pods(admin, ns, "emoji").stream().filter(p -> !FcKube.name(p).equals(FcKube.name(first)))
        .findFirst().orElseThrow();
    assertThat(FcKube.readySince(second)).as("the second instance got ready after the first").isAfter(firstReady);

    // the third instance's Initializer does not finish: its startup probe keeps answering 503
    lifecycle.answer(PodLifecycleResponder.STARTUP, 503);
    int startupCalls = lifecycle.count(PodLifecycleResponder.STARTUP);
    FcKube.fi(admin, ns, "emoji").scale(3);
    Pod third = Await.value("a third pod, initializing", SLOW, () -> FcKube.pods(admin, ns, "emoji"),
        pods -> pods.size() == 3 && pods.stream().anyMatch(p -> "Running".equals(p.getStatus().getPhase())
            && !FcKube.isReady(p) && !Set.of(FcKube.name(first), FcKube.name(second)).contains(FcKube.name(p))))
        .stream().filter(p -> !FcKube.isReady(p)).findFirst().orElseThrow();
    FunctionInstanceStatus initializing = FcKube.awaitStatus(admin, ns, "emoji", "third instance Initializing",
        s -> s.getInstanceStatuses() != null && s.getInstanceStatuses().stream()
            .anyMatch(i -> FcKube.name(third).equals(i.getPodName()) && "Initializing".equals(i.getPhase())));
    assertThat(initializing.getReady()).isEqualTo("2/3");
    Await.until("the kubelet to probe the third instance's startup (answered 503)",
        () -> lifecycle.count(PodLifecycleResponder.STARTUP) > startupCalls);
    int preStops = lifecycle.count(PodLifecycleResponder.PRE_STOP);

    try (PodWatch watch = PodWatch.start(admin, ns, Labels.instanceSelectorString("emoji"))) {
      FcKube.fi(admin, ns, "emoji").scale(1);
      Await.until("one pod left", () -> FcKube.pods(admin, ns, "emoji").size() == 1, SLOW);
      assertThat(watch.failure()).isNull();
      assertThat(watch.deletionOrder()).as("not ready first, then the most recently ready:\n" + watch.timeline())
          .containsExactly(FcKube.name(third), FcKube.name(second));
      assertThat(watch.minServing()).as(watch.timeline()).isEqualTo(1);
    }
    assertThat(FcKube.pods(admin, ns, "emoji")).extracting(FcKube::name).containsExactly(FcKube.name(first));
    lifecycle.answer(PodLifecycleResponder.STARTUP, 200);
    FcKube.awaitStatus(admin, ns, "emoji", "1/1 Ready", s -> FcKube.settled(s, 1));
    assertThat(lifecycle.count(PodLifecycleResponder.PRE_STOP) - preStops)
        .as("PreStop ran for both deleted instances, the initializing one too").isEqualTo(2);
    Map<String, String> deleted = FcKube.events(admin, ns, "emoji").stream()
        .filter(e -> "InstanceDeleted".equals(e.getReason()))
        .collect(Collectors.toMap(Event::getMessage, Event::getType));
    assertThat(deleted).containsOnlyKeys("deleted " + FcKube.name(third) + " (scale down)",
        "deleted " + FcKube.name(second) + " (scale down)");
  }

  private static String codeConfigMap(Pod pod) {
    return pod.getSpec().getVolumes().stream().filter(v -> v.getConfigMap() != null)
        .map(v -> v.getConfigMap().getName()).filter(n -> n.contains("-code-")).findFirst().orElseThrow();
  }
}
