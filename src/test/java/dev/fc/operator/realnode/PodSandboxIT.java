package dev.fc.operator.realnode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the pod really gives the function on a real kubelet, seen from inside it: the restricted securityContext
 * (uid, no capabilities, no new privileges, seccomp, a read-only root), the memory limit from memorySize, and
 * code that came from an image ({@code code.image}).
 */
@ExtendWith(RealNodeExtension.class)
class PodSandboxIT {
  private static final String NS = "rn-sandbox";
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

  @Test
  void theRestrictedSecurityContextReallyApplies() throws IOException {
    node.apply(RealNode.load("src/test/resources/realnode/whoami.yaml", NS, fi -> fi));
    Pod pod = node.awaitReadyPods(NS, "whoami", 1).get(0);
    HttpResponse<String> answer = node.invoke(RealNode.podIp(pod), 9000, "");
    assertEquals(200, answer.statusCode(), answer.body());
    JsonNode seen = JSON.readTree(answer.body());
    assertEquals(10001, seen.path("uid").asInt(), answer.body());
    assertEquals(10001, seen.path("gid").asInt(), answer.body());
    assertEquals("0000000000000000", seen.path("capEff").asText(), "no effective capabilities: " + answer.body());
    assertEquals("1", seen.path("noNewPrivs").asText(), answer.body());
    assertEquals("2", seen.path("seccomp").asText(), "seccomp filter mode (RuntimeDefault): " + answer.body());
    assertEquals("Read-only file system", seen.path("root").asText(), answer.body());
    assertEquals(String.valueOf(128L * 1024 * 1024), seen.path("memoryLimit").asText(), answer.body());
  }

  @Test
  void codeFromAnImageIsCopiedIntoThePodAndServes() {
    node.apply(RealNode.load("src/test/resources/realnode/code-image.yaml", NS, fi -> fi));
    Pod pod = node.awaitReadyPods(NS, "imgcode", 1).get(0);
    HttpResponse<String> answer = node.invoke(RealNode.podIp(pod), 9000, "");
    assertEquals(200, answer.statusCode(), answer.body());
    assertEquals("hello from code.image", answer.body());
  }
}
