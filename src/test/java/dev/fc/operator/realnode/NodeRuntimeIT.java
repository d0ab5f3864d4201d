package dev.fc.operator.realnode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.fc.operator.Await;
import dev.fc.operator.api.FunctionInstance;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * examples/hello-node.yaml on a real kubelet, in the Node.js image the tier builds offline (Debian's nodejs under
 * node:20-slim's name, .ci/realnode/build.sh): the Node.js runtime from its ConfigMap, under the pod's restricted
 * security context, runs the callback-style Initializer once, serves through the Service, and runs the async
 * PreStop when the pod is deleted, with FC's lines.
 */
@ExtendWith(RealNodeExtension.class)
class NodeRuntimeIT {
  private static final String NS = "rn-node";
  private static final String FN = "emojinode";

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


  @Test
  void theExampleRunsItsHooksOnceAndServesThroughTheService() {
    FunctionInstance fi = RealNode.load("examples/hello-node.yaml", NS, f -> {
      f.getSpec().setCpu(0.05);
      return f;
    });
    node.apply(fi);
    Pod pod = node.awaitReadyPods(NS, FN, 1).get(0);
    String name = pod.getMetadata().getName();
    try (LogFollower log = node.follow(NS, name)) {
      log.await("FC Initialize End RequestId: ", RealNode.SLOW);
      String initId = log.wordAfter("FC Initialize Start RequestId: ");
      log.await(initId + " [info] initializer: loaded 4 emojis", RealNode.SLOW);

      var answer = node.invoke(node.clusterIp(NS, FN), 9000, "cool");
      assertEquals(200, answer.statusCode(), answer.body());
      assertEquals("😎", answer.body());
      String invokeId = answer.headers().firstValue("x-fc-request-id").orElseThrow();
      log.await("FC Invoke End RequestId: " + invokeId, RealNode.SLOW);

      node.client().pods().inNamespace(NS).withName(name).delete();
      log.await("FC PreStop End RequestId: ", RealNode.SLOW);
      String preStopId = log.wordAfter("FC PreStop Start RequestId: ");
      log.await(preStopId + " [info] preStop: 4 emojis served their time", RealNode.SLOW);
      Await.until("the pod gone", () -> node.client().pods().inNamespace(NS).withName(name).get() == null,
          RealNode.SLOW);
      String text = log.text();
      assertEquals(1, text.lines().filter(l -> l.contains("FC Initialize Start RequestId: ")).count(), text);
      assertEquals(1, text.lines().filter(l -> l.contains("FC PreStop Start RequestId: ")).count(), text);
      assertFalse(text.contains(", Error: "), text);
    }
  }
}
