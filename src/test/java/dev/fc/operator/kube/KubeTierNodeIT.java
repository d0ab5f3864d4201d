package dev.fc.operator.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The fuller cluster: kube-scheduler + a kubemark hollow node in the private network namespace of
 * {@code .ci/netns-jvm/bin/java}. The hollow kubelet's probes and HTTP lifecycle hooks really reach
 * {@link KubeTier#POD_IP}, where this test answers them.
 */
@ExtendWith(KubeTierExtension.class)
class KubeTierNodeIT {

  private static final long DEADLINE_S = 30;

  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger readyStatus = new AtomicInteger(200);
  private ServerSocket server;

  @BeforeAll
  static void node(KubeTier tier) {
    assumeTrue(KubeTier.isolatedNetwork(), "not in a private network namespace (run with -Pkube,"
        + " which forks the test JVM through .ci/netns-jvm/bin/java): hollow-node tests skipped");
    tier.withNode();
  }

  @AfterEach
  void stopServer() throws IOException {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void podIsScheduledProbedAndStoppedWithItsPreStopHook(KubeTier tier) throws IOException {
    KubernetesClient admin = tier.adminClient();
    int port = startProbeServer();
    String ns = tier.createNamespace("node");

    Pod pod = new PodBuilder()
        .withNewMetadata().withName("probed").withNamespace(ns).endMetadata()
        .withNewSpec()
        .withTerminationGracePeriodSeconds(5L)
        .addNewContainer().withName("main").withImage("python:3.12-slim")
        .withNewReadinessProbe().withNewHttpGet().withPath("/ready").withNewPort(port).endHttpGet()
        .withPeriodSeconds(1).withFailureThreshold(1).endReadinessProbe()
        .withNewLifecycle().withNewPreStop().withNewHttpGet().withPath("/pre-stop").withNewPort(port)
        .endHttpGet().endPreStop().endLifecycle()
        .endContainer()
        .endSpec().build();
    admin.resource(pod).create();

    Pod ready = admin.pods().inNamespace(ns).withName("probed").waitUntilCondition(p -> isReady(p, "True"),
        DEADLINE_S, TimeUnit.SECONDS);
    assertThat(ready.getSpec().getNodeName()).isEqualTo(KubeTier.NODE_NAME);
    assertThat(ready.getStatus().getPhase()).isEqualTo("Running");
    assertThat(ready.getStatus().getPodIP()).isEqualTo(KubeTier.POD_IP);
    assertThat(requests).contains("GET /ready kube-probe/1.20");

    // the probe answers 503: the kubelet marks the pod not ready
    readyStatus.set(503);
    admin.pods().inNamespace(ns).withName("probed").waitUntilCondition(p -> isReady(p, "False"),
        DEADLINE_S, TimeUnit.SECONDS);

    admin.pods().inNamespace(ns).withName("probed").delete();
    admin.pods().inNamespace(ns).withName("probed").waitUntilCondition(Objects::isNull, DEADLINE_S,
        TimeUnit.SECONDS);
    // Kubernetes 1.20's kubelet joins host and path with a '/', so "/pre-stop" arrives as "//pre-stop"
    assertThat(requests).contains("GET //pre-stop Go-http-client/1.1");
  }

  @Test
  void aHollowNodeThatDiesIsStartedAgainAndRunsNewPods(KubeTier tier) {
    KubernetesClient admin = tier.adminClient();
    String ns = tier.createNamespace("restart");
    ProcessHandle kubelet = tier.hollowNodeProcess().orElseThrow();
    int restarts = tier.hollowNodeRestarts();

    kubelet.destroyForcibly();
    tier.await("the hollow node started again", java.time.Duration.ofSeconds(DEADLINE_S),
        () -> tier.hollowNodeRestarts() == restarts + 1);

    tier.await("a new hollow kubelet process", java.time.Duration.ofSeconds(DEADLINE_S),
        () -> tier.hollowNodeProcess().filter(p -> p.pid() != kubelet.pid()).isPresent());
    admin.resource(new PodBuilder()
        .withNewMetadata().withName("after-restart").withNamespace(ns).endMetadata()
        .withNewSpec().addNewContainer().withName("main").withImage("python:3.12-slim").endContainer().endSpec()
        .build()).create();
    Pod running = admin.pods().inNamespace(ns).withName("after-restart")
        .waitUntilCondition(p -> p != null && "Running".equals(p.getStatus().getPhase()), 2 * DEADLINE_S,
            TimeUnit.SECONDS);
    assertThat(running.getSpec().getNodeName()).isEqualTo(KubeTier.NODE_NAME);
  }

  /**
   * A minimal HTTP responder on {@link KubeTier#POD_IP} that records "METHOD PATH[ USER-AGENT]" of
   * each request (raw, as the kubelet sends it) and answers {@code readyStatus} on /ready, else 200.
   */
  private int startProbeServer() throws IOException {
    server = new ServerSocket(0, 16, InetAddress.getByName(KubeTier.POD_IP));
    Thread acceptor = new Thread(() -> {
      while (!server.isClosed()) {
        try (Socket socket = server.accept()) {
          BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
              StandardCharsets.ISO_8859_1));
          String[] requestLine = String.valueOf(in.readLine()).split(" ");
          String agent = null;
          for (String header = in.readLine(); header != null && !header.isEmpty(); header = in.readLine()) {
            if (header.toLowerCase(java.util.Locale.ROOT).startsWith("user-agent:")) {
              agent = header.substring("user-agent:".length()).trim();
            }
          }
          String path = requestLine.length > 1 ? requestLine[1] : "";
          requests.add(requestLine[0] + " " + path + (agent == null ? "" : " " + agent));
          int status = path.equals("/ready") ? readyStatus.get() : 200;
          OutputStream out = socket.getOutputStream();
          out.write(("HTTP/1.1 " + status + " X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
          out.flush();
        } catch (IOException e) {
          // closed, or a broken request: keep serving until closed
        }
      }
    }, "probe-responder");
    acceptor.setDaemon(true);
    acceptor.start();
    return server.getLocalPort();
  }

  private static boolean isReady(Pod pod, String status) {
    return pod != null && pod.getStatus() != null && pod.getStatus().getConditions() != null
        && FcKube.orEmpty(pod.getStatus().getConditions()).stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && status.equals(c.getStatus()));
  }
}
