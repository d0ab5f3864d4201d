package dev.fc.operator.realnode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fc.operator.Await;
import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.api.FunctionInstanceStatus;
import dev.fc.operator.desired.Labels;
import dev.fc.operator.kube.FcKube;
import dev.fc.operator.kube.PodWatch;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * FC's elastic instance model on a real kubelet (docs/elastic.md): invocations through the chart's gateway
 * create instances on demand, share them at instanceConcurrency, idle instances are reclaimed with their PreStop,
 * and a failing Initializer answers the caller with InitializationError.
 */
@ExtendWith(RealNodeExtension.class)
class ElasticIT {
  private static final String NS = "rn-elastic";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private static RealNode node;

  @BeforeAll
  static void namespace(RealNode realNode) {
    node = realNode;
    node.namespace(NS);
    node.awaitGatewayPodsReady();
  }

  /** The other classes of the tier need the node's CPU: no instance of this one may outlive it. */
  @AfterAll
  static void deleteTheFunctions() {
    node.deleteFunctions(NS);
  }

  /** examples/hello.yaml named {@code name}, elastic, with {@code code} run at the start of the Initializer. */
  private static FunctionInstance hello(String name, String initializerCode, UnaryOperator<FunctionInstance> edit) {
    return RealNode.load("examples/hello.yaml", NS, fi -> {
      fi.getMetadata().setName(name);
      Map<String, String> files = new HashMap<>(fi.getSpec().getCode().getInline());
      files.put("index.py", files.get("index.py").replace("    logger = context.get_logger()\n",
          "    logger = context.get_logger()\n    " + initializerCode + "\n"));
      fi.getSpec().getCode().setInline(files);
      fi.getSpec().setMinInstances(0);
      // the node has 2 CPUs of requests for every class of the tier: this one's up to 6 pods ask for little
      fi.getSpec().setCpu(0.05);
      return edit.apply(fi);
    });
  }

  private static HttpResponse<String> invoke(String function, String body, String requestId) {
    try {
      return invokeAsync(function, body, requestId).join();
    } catch (RuntimeException e) {
      throw new AssertionError("invoking " + function + " through the gateway: " + e, e);
    }
  }

  private static CompletableFuture<HttpResponse<String>> invokeAsync(String function, String body,
      String requestId) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + node.gatewayClusterIp()
            + "/2023-03-30/functions/" + function + "/invocations"))
        .timeout(Duration.ofSeconds(150))
        .header("x-fc-namespace", NS)
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (requestId != null) {
      request.header("x-fc-request-id", requestId);
    }
    return HTTP.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static FunctionInstanceStatus awaitScaling(String function, String reason, int desired) {
    return FcKube.awaitStatus(node.client(), NS, function, "status.scaling " + reason + " " + desired,
        s -> s.getScaling() != null && reason.equals(s.getScaling().getReason())
            && s.getScaling().getDesiredInstances() == desired);
  }

  @Test
  void anInvocationOfAFunctionWithNoInstanceCreatesOneThatInitializesThenServesIt() {
    node.apply(hello("zero", "pass", fi -> fi));
    awaitScaling("zero", "Initial", 0);
    assertEquals(List.of(), node.livePods(NS, "zero"));

    HttpResponse<String> answer;
    Instant sent;
    Instant podSeen;
    Pod pod;
    try (PodWatch watch = PodWatch.start(node.client(), NS, Labels.FUNCTION + "=zero")) {
      sent = Instant.now();
      answer = invoke("zero", "happy", "rn-elastic-cold-1");
      pod = node.awaitReadyPods(NS, "zero", 1).get(0);
      podSeen = watch.awaitFirstSeen(pod.getMetadata().getName(), p -> true, RealNode.SLOW);
    }
    assertEquals(200, answer.statusCode(), answer.body());
    assertEquals("😄", answer.body());
    assertEquals("rn-elastic-cold-1", answer.headers().firstValue("x-fc-request-id").orElse(null));
    String log = node.log(NS, pod.getMetadata().getName());
    // scale from zero, what the gateway and the operator add to the instance's own cold start: the invocation
    // sent -> its pod created, and the Initializer's end -> the handler started (docs/benchmarks.md, P6)
    Duration toPod = Duration.between(sent, podSeen);
    Duration readyToHandler = Duration.between(InstanceLifecycleIT.logTime(log, "FC Initialize End RequestId: "),
        InstanceLifecycleIT.logTime(log, "FC Invoke Start RequestId: rn-elastic-cold-1"));
    System.out.println("scale from zero: sent -> pod " + toPod.toMillis() + " ms, Initialize End -> Invoke Start "
        + readyToHandler.toMillis() + " ms, added " + toPod.plus(readyToHandler).toMillis() + " ms");
    int initStart = log.indexOf("FC Initialize Start RequestId: ");
    int initEnd = log.indexOf("FC Initialize End RequestId: ");
    int invokeStart = log.indexOf("FC Invoke Start RequestId: rn-elastic-cold-1");
    int invokeEnd = log.indexOf("FC Invoke End RequestId: rn-elastic-cold-1");
    assertTrue(0 <= initStart && initStart < initEnd && initEnd < invokeStart && invokeStart < invokeEnd, log);
    assertEquals("Demand", awaitScaling("zero", "Demand", 1).getScaling().getReason());
  }

  @Test
  void twentyConcurrentInvocationsAtConcurrencyFiveGetFourInstancesNotTwenty() {
    node.apply(hello("many", "pass", fi -> {
      fi.getSpec().setInstanceConcurrency(5);
      fi.getSpec().setMaxInstances(10);
      Map<String, String> files = new HashMap<>(fi.getSpec().getCode().getInline());
      // each invocation takes a while, so all twenty overlap
      files.put("index.py", files.get("index.py").replace("    name = event.decode(\"utf-8\").strip() or \"happy\"\n",
          "    import time; time.sleep(2)\n    name = event.decode(\"utf-8\").strip() or \"happy\"\n"));
      fi.getSpec().getCode().setInline(files);
      return fi;
    }));
    awaitScaling("many", "Initial", 0);
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      calls.add(invokeAsync("many", "cool", "rn-elastic-many-" + i));
    }
    Set<String> servedBy = new TreeSet<>();
    for (CompletableFuture<HttpResponse<String>> call : calls) {
      HttpResponse<String> answer = call.join();
      assertEquals(200, answer.statusCode(), answer.body());
      assertEquals("😎", answer.body());
    }
    List<Pod> pods = FcKube.pods(node.client(), NS, "many");
    pods.forEach(p -> servedBy.add(p.getMetadata().getName()));
    assertEquals(4, pods.size(), "instances created for 20 invocations at 5 per instance: " + servedBy + "\n"
        + FcKube.describe(node.client(), NS, "many"));
    assertEquals(4, (int) FcKube.fi(node.client(), NS, "many").get().getStatus().getScaling().getDesiredInstances());
  }

  @Test
  void anIdleInstanceIsReclaimedWithItsPreStopAndTheCountReturnsToMinInstances() {
    node.apply(hello("idle", "pass", fi -> {
      fi.getSpec().setIdleTimeout(5);
      return fi;
    }));
    awaitScaling("idle", "Initial", 0);
    assertEquals(200, invoke("idle", "love", "rn-elastic-idle-1").statusCode());
    Pod pod = node.awaitReadyPods(NS, "idle", 1).get(0);
    try (LogFollower log = node.follow(NS, pod.getMetadata().getName())) {
      log.await("FC PreStop End RequestId: ", RealNode.SLOW);
      Instant invokeEnd = InstanceLifecycleIT.logTime(log.text(), "FC Invoke End RequestId: rn-elastic-idle-1");
      Instant preStopStart = InstanceLifecycleIT.logTime(log.text(), "FC PreStop Start RequestId: ");
      Duration idle = Duration.between(invokeEnd, preStopStart);
      assertTrue(idle.compareTo(Duration.ofSeconds(5)) >= 0, "reclaimed after " + idle + " idle:\n" + log.text());
      System.out.println("reclaim: idle " + idle.toMillis() + " ms before PreStop (idleTimeout 5000 ms)");
    }
    FunctionInstanceStatus status = awaitScaling("idle", "IdleReclaim", 0);
    assertTrue(status.getScaling().getMessage().contains("after idleTimeout 5s"), status.getScaling().getMessage());
    Await.until("no instance left", () -> node.livePods(NS, "idle").isEmpty(), RealNode.SLOW);
  }

  @Test
  void aFailingInitializerGivesTheCallerInitializationErrorAndALaterInvocationAFreshInstance() throws IOException {
    node.apply(hello("broken", "raise RuntimeError('no database today')", fi -> fi));
    awaitScaling("broken", "Initial", 0);
    HttpResponse<String> first = invoke("broken", "happy", "rn-elastic-broken-1");
    assertEquals("InitializationError", first.headers().firstValue("x-fc-error-type").orElse(null), first.body());
    JsonNode error = JSON.readTree(first.body());
    assertTrue(error.path("errorMessage").asText().contains("no database today"), first.body());
    // the failed instance may already be retired when the answer arrives; its creation is on record either way
    Set<String> firstPods = names(FcKube.pods(node.client(), NS, "broken"));
    assertTrue(firstPods.size() <= 1, String.valueOf(firstPods));
    Await.until("the first instance's creation recorded", () -> podsSeen("broken") >= 1, RealNode.SLOW);
    int createdForFirst = podsSeen("broken");
    assertEquals(1, createdForFirst, "instances created for one invocation");

    // once the replacement backoff is over, the next invocation gets a new instance (which fails again)
    FcKube.awaitStatus(node.client(), NS, "broken", "backoff over",
        s -> s.getBackoff() == null || s.getBackoff().getNotBefore() == null
            || Instant.parse(s.getBackoff().getNotBefore()).isBefore(Instant.now()));
    Await.until("a fresh instance for a later invocation", () -> {
      HttpResponse<String> later = invoke("broken", "happy", null);
      assertEquals("InitializationError", later.headers().firstValue("x-fc-error-type").orElse(null), later.body());
      Set<String> all = names(FcKube.pods(node.client(), NS, "broken"));
      all.removeAll(firstPods);
      return !all.isEmpty() || podsSeen("broken") > createdForFirst;
    }, RealNode.SLOW);
  }

  private static int podsSeen(String function) {
    return (int) node.client().v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> "InstanceCreated".equals(e.getReason()) && function.equals(e.getInvolvedObject().getName()))
        .mapToInt(e -> e.getCount() == null ? 1 : e.getCount()).sum();
  }

  private static Set<String> names(List<Pod> pods) {
    Set<String> names = new TreeSet<>();
    pods.forEach(p -> names.add(p.getMetadata().getName()));
    return names;
  }
}
