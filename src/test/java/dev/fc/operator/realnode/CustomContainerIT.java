package dev.fc.operator.realnode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fc.operator.Await;
import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.contract.RuntimeContainer;
import dev.fc.operator.kube.FcKube;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * examples/custom-container on a real kubelet, in the image the tier builds offline from its server.py
 * ({@code fc-custom-demo:1}, .ci/realnode/build.sh): the adapter turns the startup probe into the server's
 * {@code POST /initialize} and the preStop hook into {@code GET /pre-stop}, prints FC's lines with the ids it sent,
 * and the kubelet's order at deletion leaves the server alive for its PreStop call and the adapter alive until the
 * call has answered.
 */
@ExtendWith(RealNodeExtension.class)
class CustomContainerIT {
  private static final String NS = "rn-custom";
  private static final String FN = "emoji-custom";
  private static final String IMAGE = "docker.io/library/fc-custom-demo:1";

  private static RealNode node;

  @BeforeAll
  static void namespace(RealNode realNode) {
    node = realNode;
    node.namespace(NS);
  }

  @AfterAll
  static void cleanUp() {
    node.deleteFunctions(NS);
  }

  private static FunctionInstance example() {
    return RealNode.load("examples/custom-container/function.yaml", NS, fi -> {
      fi.getSpec().getCustomContainerConfig().setImage(IMAGE);
      fi.getSpec().setCpu(0.05);
      return fi;
    });
  }


  @Test
  void theAdapterRunsTheServersHooksOnceWithFcsLinesAndTheServerOutlivesItsPreStopCall() {
    node.apply(example());
    Pod pod = node.awaitReadyPods(NS, FN, 1).get(0);
    String name = pod.getMetadata().getName();
    try (LogFollower adapter = node.follow(NS, name, RuntimeContainer.ADAPTER_NAME);
        LogFollower server = node.follow(NS, name, RuntimeContainer.NAME)) {
      adapter.await("FC Initialize End RequestId: ", RealNode.SLOW);
      String initId = adapter.wordAfter("FC Initialize Start RequestId: ");
      server.await(initId + " initializer: loaded 4 emojis", RealNode.SLOW);

      // through the Service's ClusterIP: its port leads to the adapter, which calls the server
      var answer = node.invoke(node.clusterIp(NS, FN), 9000, "cool");
      assertEquals(200, answer.statusCode(), answer.body());
      assertEquals("😎", answer.body());
      String invokeId = answer.headers().firstValue("x-fc-request-id").orElseThrow();
      adapter.await("FC Invoke End RequestId: " + invokeId, RealNode.SLOW);
      server.await(invokeId + " invoked with 'cool'", RealNode.SLOW);

      node.client().pods().inNamespace(NS).withName(name).delete();
      Instant preStopEnd = adapter.await("FC PreStop End RequestId: ", RealNode.SLOW);
      String preStopId = adapter.wordAfter("FC PreStop Start RequestId: ");
      Instant serverPreStop = server.await(preStopId + " pre-stop: 4 emojis served, goodbye", RealNode.SLOW);
      assertFalse(serverPreStop.isAfter(preStopEnd), "the server answered PreStop before the adapter's End line");
      Await.until("the pod gone", () -> node.client().pods().inNamespace(NS).withName(name).get() == null,
          RealNode.SLOW);
      String adapterLog = adapter.text();
      assertEquals(1, count(adapterLog, "FC Initialize Start RequestId: "), adapterLog);
      assertEquals(1, count(adapterLog, "FC PreStop Start RequestId: "), adapterLog);
      assertFalse(adapterLog.contains(", Error: "), adapterLog);
    }
  }

  @Test
  void aServerThatNeverListensRetiresTheInstanceWithTheAdaptersMessageNamingThePort() {
    node.apply(RealNode.load("examples/custom-container/function.yaml", NS, fi -> {
      fi.getMetadata().setName("custom-broken");
      fi.getSpec().getCustomContainerConfig().setImage(IMAGE);
      fi.getSpec().setCpu(0.05);
      fi.getSpec().getCustomContainerConfig().setPort(9100);
      // a program that never listens, on 9100 or anywhere
      fi.getSpec().getCustomContainerConfig().setArgs(java.util.List.of("-c", "import time; time.sleep(600)"));
      fi.getSpec().getInstanceLifecycleConfig().getInitializer().setTimeout(3);
      return fi;
    }));
    var status = FcKube.awaitStatus(node.client(), NS, "custom-broken", "InitializerFailed",
        s -> "InitializerFailed".equals(FcKube.readyReason(s)));
    String message = status.getConditions().stream().filter(c -> "Ready".equals(c.getType())).findFirst()
        .orElseThrow().getMessage();
    assertTrue(message.contains("nothing listened on 127.0.0.1:9100"),
        "the failure names the port the server never listened on: " + message);
    FcKube.fi(node.client(), NS, "custom-broken").delete();
  }

  private static long count(String text, String what) {
    return text.lines().filter(l -> l.contains(what)).count();
  }
}
