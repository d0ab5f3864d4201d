package dev.fc.operator.realnode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fc.operator.Await;
import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.desired.Labels;
import dev.fc.operator.kube.FcKube;
import dev.fc.operator.kube.KubeletStateRules;
import dev.fc.operator.kube.PodWatch;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * examples/hello.yaml through its whole life on a real kubelet, with the operator installed from its chart:
 * Ready only after the Initializer, invoked through its Service's ClusterIP (kube-proxy), rolled on a code change
 * with PreStop on the old pod, a deleted pod's PreStop and termination message, and PreStop on every pod when
 * the FunctionInstance goes. The steps build on each other, in order.
 */
@ExtendWith(RealNodeExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InstanceLifecycleIT {
  private static final String NS = "rn-lifecycle";
  private static final String FN = "emojipy";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static RealNode node;

  @BeforeAll
  static void namespace(RealNode realNode) {
    node = realNode;
    node.namespace(NS);
  }

  /** examples/hello.yaml with {@code extra} run first in the Initializer (e.g. a sleep). */
  private static FunctionInstance hello(String extra) {
    return RealNode.load("examples/hello.yaml", NS, fi -> {
      Map<String, String> files = new HashMap<>(fi.getSpec().getCode().getInline());
      files.put("index.py", files.get("index.py").replace("    logger = context.get_logger()\n",
          "    logger = context.get_logger()\n    " + extra + "\n"));
      fi.getSpec().getCode().setInline(files);
      return fi;
    });
  }

  @Test
  @Order(1)
  void anInstanceIsReadyOnlyAfterItsInitializerEnds() {
    try (PodWatch watch = PodWatch.start(node.client(), NS, selector())) {
      node.apply(hello("import time; time.sleep(3)"));
      Pod pod = node.awaitReadyPods(NS, FN, 1).get(0);
      Instant firstSeenReady = firstSeen(watch, pod, FcKube::isReady);
      String log = node.log(NS, pod.getMetadata().getName());
      Instant initializeEnd = logTime(log, "FC Initialize End RequestId: ");
      Instant initializeStart = logTime(log, "FC Initialize Start RequestId: ");
      assertTrue(initializeEnd.isAfter(initializeStart.plusMillis(2900)), log);
      assertTrue(!firstSeenReady.isBefore(initializeEnd),
          "the pod was seen Ready at " + firstSeenReady + ", before FC Initialize End at " + initializeEnd
              + "\n" + watch.timeline());
      // every state the watch saw before Ready had the container not yet started (the startup probe pending)
      for (Pod state : watch.history(pod.getMetadata().getName())) {
        if (FcKube.isReady(state)) {
          break;
        }
        assertFalse(RealNode.functionContainer(state).map(s -> Boolean.TRUE.equals(s.getStarted())).orElse(false)
            && RealNode.functionContainer(state).map(s -> Boolean.TRUE.equals(s.getReady())).orElse(false),
            "ready before Ready: " + state.getStatus());
      }
      FcKube.awaitStatus(node.client(), NS, FN, "1/1 Ready", s -> FcKube.settled(s, 1));
      KubeletStateRules.assertObeyed(watch);
      // a healthy start is quiet: no probe failed on the way (each failure is a Warning "Unhealthy")
      List<String> warnings = node.client().v1().events().inNamespace(NS).list().getItems().stream()
          .filter(e -> pod.getMetadata().getName().equals(e.getInvolvedObject().getName())
              && "Warning".equals(e.getType()))
          .map(e -> e.getReason() + ": " + e.getMessage()).toList();
      assertEquals(List.of(), warnings);
    }
  }

  @Test
  @Order(2)
  void anInvocationReachesTheInstanceThroughTheServiceClusterIp() {
    String clusterIp = node.clusterIp(NS, FN);
    Pod pod = node.livePods(NS, FN).get(0);
    assertNotEquals(RealNode.podIp(pod), clusterIp);
    HttpResponse<String> answer = node.invoke(clusterIp, 9000, "happy");
    assertEquals(200, answer.statusCode(), answer.body());
    assertEquals("😄", answer.body());
    assertEquals("🤔", node.invoke(clusterIp, 9000, "unknown").body());
    String log = node.log(NS, pod.getMetadata().getName());
    assertTrue(log.contains("FC Invoke Start RequestId: " + answer.headers().firstValue("x-fc-request-id").get()),
        log);
  }

  @Test
  @Order(3)
  void theLifecyclePortIsNotBehindTheService() {
    List<Integer> ports = node.client().services().inNamespace(NS).withName(FN).get().getSpec().getPorts().stream()
        .map(ServicePort::getPort).toList();
    assertEquals(List.of(9000), ports);
    String clusterIp = node.clusterIp(NS, FN);
    assertTrue(connects(clusterIp, 9000));
    assertFalse(connects(clusterIp, 9001), "the ClusterIP forwards the lifecycle port 9001");
  }

  @Test
  @Order(4)
  void aCodeChangeRollsTheInstanceNewPodReadyFirstThenPreStopOnTheOldOne() {
    Pod old = node.livePods(NS, FN).get(0);
    try (PodWatch watch = PodWatch.start(node.client(), NS, selector());
        LogFollower oldLog = node.follow(NS, old.getMetadata().getName())) {
      node.apply(hello("import time; time.sleep(4); logger.info('initializer v2')"));
      Pod fresh = Await.value("a Ready pod of the new template", RealNode.SLOW, () -> node.livePods(NS, FN).stream()
          .filter(p -> !FcKube.hash(p).equals(FcKube.hash(old)) && FcKube.isReady(p)).findFirst(),
          Optional::isPresent).get();
      Await.until("the old pod gone", () -> node.client().pods().inNamespace(NS)
          .withName(old.getMetadata().getName()).get() == null, RealNode.SLOW);
      Instant newReady = firstSeen(watch, fresh, FcKube::isReady);
      Instant oldDeleted = firstSeen(watch, old, p -> p.getMetadata().getDeletionTimestamp() != null);
      assertTrue(!oldDeleted.isBefore(newReady), "the old pod was deleted at " + oldDeleted
          + " before the new one was Ready at " + newReady + "\n" + watch.timeline());
      Instant preStopStart = oldLog.await("FC PreStop Start RequestId: ", RealNode.SLOW);
      oldLog.await("FC PreStop End RequestId: ", RealNode.SLOW);
      assertTrue(oldLog.text().contains("preStop: 4 emojis served their time"), oldLog.text());
      assertTrue(!preStopStart.isBefore(newReady.minusMillis(1000)), "PreStop began at " + preStopStart
          + ", the new pod was Ready at " + newReady);
      assertTrue(node.log(NS, fresh.getMetadata().getName()).contains("initializer v2"));
      assertTrue(watch.maxLive() <= 2, watch.timeline());
    }
  }

  @Test
  @Order(5)
  void deletingAPodRunsPreStopAndRecordsTheTerminationMessage() throws IOException {
    Pod pod = node.livePods(NS, FN).get(0);
    String name = pod.getMetadata().getName();
    try (PodWatch watch = PodWatch.start(node.client(), NS, selector());
        LogFollower log = node.follow(NS, name)) {
      DeletedPodEnd end = DeletedPodEnd.deleteAndAwait(node, watch, pod);
      log.await("FC PreStop End RequestId: ", RealNode.SLOW);
      assertTrue(end.exitedWithoutKill(), "the runtime exited after PreStop, not killed: " + end);
      // published in most runs; kubelet 1.20 sometimes removes the container first (DeletedPodEnd)
      if (end.published().isPresent()) {
        ContainerStateTerminated terminated = end.published().get();
        assertEquals(0, terminated.getExitCode(), String.valueOf(terminated));
        JsonNode message = JSON.readTree(terminated.getMessage());
        assertEquals("succeeded", message.path("preStop").path("status").asText(), terminated.getMessage());
        assertEquals("succeeded", message.path("initializer").path("status").asText(), terminated.getMessage());
        // the runtime's own measure of the start: the kubelet's first readiness probe came within a period
        JsonNode coldStart = message.path("coldStart");
        assertTrue(coldStart.path("initializerStartMs").asLong(-1) >= 0, terminated.getMessage());
        assertTrue(coldStart.path("initializerMs").asLong(-1) >= 0, terminated.getMessage());
        long readyAfter = coldStart.path("readyAfterInitializerMs").asLong(-1);
        assertTrue(readyAfter >= 0 && readyAfter <= 1100, "Initializer end -> Ready " + terminated.getMessage());
      }
      KubeletStateRules.assertObeyed(watch);
      Pod replacement = node.awaitReadyPods(NS, FN, 1).get(0);
      assertNotEquals(name, replacement.getMetadata().getName());
    }
  }


  @Test
  @Order(6)
  void deletingTheFunctionInstanceRunsPreStopOnEveryPod() {
    FcKube.edit(node.client(), NS, FN, fi -> fi.getSpec().setInstances(2));
    List<Pod> pods = node.awaitReadyPods(NS, FN, 2);
    List<LogFollower> logs = pods.stream().map(p -> node.follow(NS, p.getMetadata().getName())).toList();
    try {
      FcKube.fi(node.client(), NS, FN).delete();
      Await.until("every pod of " + FN + " gone", () -> FcKube.pods(node.client(), NS, FN).isEmpty(),
          RealNode.SLOW);
      for (LogFollower log : logs) {
        log.await("FC PreStop End RequestId: ", RealNode.SLOW);
      }
    } finally {
      logs.forEach(LogFollower::close);
    }
    Await.until("the Service and ConfigMaps collected", () -> node.client().services().inNamespace(NS)
        .withName(FN).get() == null && FcKube.configMaps(node.client(), NS, FN).isEmpty(), RealNode.SLOW);
  }

  static String selector() {
    return Labels.FUNCTION + "=" + FN;
  }

  /** When the watch first saw the pod in a state that {@code accept}s. */
  static Instant firstSeen(PodWatch watch, Pod pod, java.util.function.Predicate<Pod> accept) {
    return watch.awaitFirstSeen(pod.getMetadata().getName(), accept, RealNode.SLOW);
  }

  static Instant logTime(String log, String text) {
    return log.lines().filter(l -> l.contains(text)).findFirst().map(LogFollower::timestamp)
        .orElseThrow(() -> new AssertionError("no '" + text + "' in\n" + log));
  }

  static boolean connects(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 2000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
