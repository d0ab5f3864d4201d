package dev.fc.operator.realnode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fc.operator.Await;
import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.api.FunctionInstanceStatus;
import dev.fc.operator.api.InstanceStatus;
import dev.fc.operator.desired.Labels;
import dev.fc.operator.kube.FcKube;
import dev.fc.operator.kube.KubeletStateRules;
import dev.fc.operator.kube.PodWatch;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What goes wrong, on a real kubelet: a failing Initializer (replaced with backoff; a fixed spec does not wait
 * for the old backoff), hook timeouts (enforced by the runtime before the kubelet), an invocation timeout
 * (the instance is retired, not an Initializer failure) and an OOM kill (reported as such). Every pod state the
 * kubelet wrote on the way is checked against {@link KubeletStateRules}, which the test kubelet also obeys.
 */
@ExtendWith(RealNodeExtension.class)
class FailuresIT {
  private static final String NS = "rn-failures";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static RealNode node;

  @AfterAll
  static void deleteTheFunctions() {
    node.deleteFunctions(NS);
  }

  @BeforeAll
  static void namespace(RealNode realNode) {
    node = realNode;
    node.namespace(NS);
  }

  private static FunctionInstance load(String file) {
    return RealNode.load("src/test/resources/realnode/" + file, NS, fi -> fi);
  }

  private static String selector(String function) {
    return Labels.FUNCTION + "=" + function;
  }

  @Test
  void aFailingInitializerIsReplacedWithBackoffAndAFixedSpecStartsAtOnce() {
    try (PodWatch watch = PodWatch.start(node.client(), NS, selector("failinit"))) {
      FunctionInstance fi = node.apply(load("failing-init.yaml"));
      FunctionInstanceStatus failing = FcKube.awaitStatus(node.client(), NS, "failinit",
          "a backoff of 8 s or more after repeated Initializer failures", s -> s.getBackoff() != null
              && s.getBackoff().getDelaySeconds() != null && s.getBackoff().getDelaySeconds() >= 8);
      assertTrue(failing.getBackoff().getLastFailure().contains("database at db.example:3306 refused the connection"),
          failing.getBackoff().getLastFailure());
      assertEquals("InitializerFailed", FcKube.readyReason(failing));
      // the replacements came further and further apart: each pod was created after the one before had failed
      List<Instant> created = watch.seen().stream().map(n -> Instant.parse(watch.history(n).get(0).getMetadata()
          .getCreationTimestamp())).sorted().toList();
      assertTrue(created.size() >= 3, watch.timeline());
      for (String name : watch.seen()) {
        assertTrue(watch.history(name).stream().noneMatch(FcKube::isReady), name + " was Ready");
      }
      List<ContainerStateTerminated> failures = terminations(watch);
      assertFalse(failures.isEmpty());
      for (ContainerStateTerminated t : failures) {
        assertEquals(1, t.getExitCode(), String.valueOf(t));
        assertEquals("InitializerFailed", JSON.readTree(t.getMessage()).path("exitReason").asText(), t.getMessage());
      }
      assertTrue(eventReasons("failinit").contains("InitializerFailed"), String.valueOf(eventReasons("failinit")));

      // fixed: the first pod of the new template is created without waiting for the old template's backoff
      long pending = failing.getBackoff().getDelaySeconds();
      Instant fixedAt = Instant.now();
      Map<String, String> files = Map.of("index.py", fi.getSpec().getCode().getInline().get("index.py")
          .replace("raise RuntimeError", "print"));
      FcKube.edit(node.client(), NS, "failinit", f -> f.getSpec().getCode().setInline(files));
      Pod fixed = node.awaitReadyPods(NS, "failinit", 1).get(0);
      Instant createdAt = Instant.parse(fixed.getMetadata().getCreationTimestamp());
      assertTrue(createdAt.isBefore(fixedAt.plusSeconds(Math.min(pending, 8))), "the fixed template's pod was "
          + "created " + Duration.between(fixedAt, createdAt) + " after the fix, the old backoff was " + pending + " s");
      FcKube.awaitStatus(node.client(), NS, "failinit", "settled and no backoff left",
          s -> FcKube.settled(s, 1) && s.getBackoff() == null);
      KubeletStateRules.assertObeyed(watch);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void aHangingInitializerIsStoppedByTheRuntimeAtItsTimeoutNotByTheKubelet() throws IOException {
    try (PodWatch watch = PodWatch.start(node.client(), NS, selector("slowinit"))) {
      node.apply(load("slow-init.yaml"));
      ContainerStateTerminated t = Await.value("the first slowinit container terminated", RealNode.SLOW,
          () -> terminations(watch).stream().findFirst(), Optional::isPresent).get();
      assertEquals(2, t.getExitCode(), "the runtime's exit status for InitializerTimeout: " + t);
      JsonNode message = JSON.readTree(t.getMessage());
      assertEquals("InitializerTimeout", message.path("exitReason").asText(), t.getMessage());
      assertEquals("timeout", message.path("initializer").path("status").asText(), t.getMessage());
      Duration ran = Duration.between(Instant.parse(t.getStartedAt()), Instant.parse(t.getFinishedAt()));
      // timeout 3 s; the held startup probe waits up to 13 s, the kubelet's window is 30 s: the runtime acts first
      assertTrue(ran.compareTo(Duration.ofSeconds(10)) < 0, "ran " + ran);
      FcKube.awaitStatus(node.client(), NS, "slowinit", "InitializerFailed",
          s -> "InitializerFailed".equals(FcKube.readyReason(s)));
      FcKube.fi(node.client(), NS, "slowinit").delete();
      KubeletStateRules.assertObeyed(watch);
    }
  }

  @Test
  void aHangingPreStopIsCutByTheRuntimeAtItsTimeoutWithinTheGracePeriod() throws IOException {
    node.apply(load("slow-stop.yaml"));
    Pod pod = node.awaitReadyPods(NS, "slowstop", 1).get(0);
    String name = pod.getMetadata().getName();
    try (PodWatch watch = PodWatch.start(node.client(), NS, selector("slowstop"));
        LogFollower log = node.follow(NS, name)) {
      DeletedPodEnd end = DeletedPodEnd.deleteAndAwait(node, watch, pod);
      Instant start = log.await("FC PreStop Start RequestId: ", RealNode.SLOW);
      Instant stop = log.await("FC PreStop End RequestId: ", RealNode.SLOW);
      Duration preStop = Duration.between(start, stop);
      assertTrue(preStop.compareTo(Duration.ofMillis(2900)) > 0 && preStop.compareTo(Duration.ofSeconds(6)) < 0,
          "PreStop ran " + preStop + " for a 3 s timeout");
      assertTrue(end.exitedWithoutKill(), "not killed at the grace period: " + end);
      // published in most runs; kubelet 1.20 sometimes removes the container first (DeletedPodEnd)
      if (end.published().isPresent()) {
        ContainerStateTerminated t = end.published().get();
        assertEquals(0, t.getExitCode(), "not killed by the kubelet: " + t);
        assertEquals("timeout", JSON.readTree(t.getMessage()).path("preStop").path("status").asText(), t.getMessage());
      }
      KubeletStateRules.assertObeyed(watch);
    }
  }


  @Test
  void anInvocationTimeoutRetiresTheInstanceAndIsNotReportedAsAnInitializerFailure() throws IOException {
    FunctionInstance fi = load("slow-stop.yaml");
    fi.getMetadata().setName("retire");
    node.apply(fi);
    Pod pod = node.awaitReadyPods(NS, "retire", 1).get(0);
    try (PodWatch watch = PodWatch.start(node.client(), NS, selector("retire"))) {
      HttpResponse<String> answer = node.invoke(RealNode.podIp(pod), 9000, "5");
      assertEquals("FunctionTimeout", answer.headers().firstValue("x-fc-error-type").orElse(null), answer.body());
      ContainerStateTerminated t = Await.value("the retired container terminated", RealNode.SLOW,
          () -> terminations(watch).stream().findFirst(), Optional::isPresent).get();
      assertEquals(3, t.getExitCode(), String.valueOf(t));
      assertEquals("InvocationTimeout", JSON.readTree(t.getMessage()).path("exitReason").asText(), t.getMessage());
      FunctionInstanceStatus status = FcKube.awaitStatus(node.client(), NS, "retire", "the pod reported Retired",
          s -> phaseOf(s, pod.getMetadata().getName()).map("Retired"::equals).orElse(false)
              || eventReasons("retire").contains("Retired"));
      assertFalse(eventReasons("retire").contains("InitializerFailed"),
          "an instance that served was reported as an Initializer failure: " + events("retire") + "\n"
              + status.getInstanceStatuses());
      KubeletStateRules.assertObeyed(watch);
    }
    FcKube.fi(node.client(), NS, "retire").delete();
  }

  @Test
  void anOomKillIsReportedAsOomKilledWithTheMemoryLimitAndTheFix() {
    node.apply(load("oom.yaml"));
    Pod pod = node.awaitReadyPods(NS, "oomfn", 1).get(0);
    try (PodWatch watch = PodWatch.start(node.client(), NS, selector("oomfn"))) {
      try {
        node.invoke(RealNode.podIp(pod), 9000, "");
      } catch (UncheckedIOException killedMidAnswer) {
        // the connection dies with the process: expected
      }
      ContainerStateTerminated t = Await.value("the OOM-killed container terminated", RealNode.SLOW,
          () -> terminations(watch).stream().findFirst(), Optional::isPresent).get();
      assertEquals("OOMKilled", t.getReason(), String.valueOf(t));
      assertEquals(137, t.getExitCode());
      Event event = Await.value("an event about the OOM kill", RealNode.SLOW,
          () -> events("oomfn").stream().filter(e -> e.getMessage().contains("OOMKilled")).findFirst(),
          Optional::isPresent).get();
      assertEquals("Retired", event.getReason(), event.getMessage());
      assertTrue(event.getMessage().contains("128") && event.getMessage().contains("memorySize"),
          "names the limit and the field to change: " + event.getMessage());
      KubeletStateRules.assertObeyed(watch);
    }
    FcKube.fi(node.client(), NS, "oomfn").delete();
  }

  static List<ContainerStateTerminated> terminations(PodWatch watch) {
    return watch.seen().stream().flatMap(n -> watch.history(n).stream()).map(RealNode::functionContainer)
        .flatMap(Optional::stream).filter(s -> s.getState() != null && s.getState().getTerminated() != null)
        .map(s -> s.getState().getTerminated()).distinct().toList();
  }

  static Optional<String> phaseOf(FunctionInstanceStatus status, String pod) {
    return status.getInstanceStatuses() == null ? Optional.empty() : status.getInstanceStatuses().stream()
        .filter(i -> pod.equals(i.getPodName())).map(InstanceStatus::getPhase).findFirst();
  }

  static List<Event> events(String function) {
    return FcKube.events(node.client(), NS, function);
  }

  static List<String> eventReasons(String function) {
    return FcKube.eventReasons(node.client(), NS, function);
  }
}
