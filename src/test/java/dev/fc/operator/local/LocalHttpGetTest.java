package dev.fc.operator.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.fc.operator.contract.LifecycleEndpoints;
import dev.fc.operator.contract.RuntimeContainer;
import dev.fc.operator.contract.RuntimeEnv;
import dev.fc.operator.contract.RuntimePorts;
import dev.fc.operator.desired.Fixtures;
import dev.fc.operator.desired.InstancePod;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code local}'s kubelet sends a probe's or hook's {@code httpGet} as the kubelet does: the pod spec's path with
 * its query and its {@code httpHeaders}, so the lifecycle port's secret of the issued pod reaches the runtime.
 */
class LocalHttpGetTest {
  record Seen(String target, List<String> tokenHeaders) {}

  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private Container container;
  private PortMap ports;
  private HttpServer server;

  @BeforeEach
  void start() throws Exception {
    container = InstancePod.issue(Fixtures.builder().build(Fixtures.function("emoji")).podTemplate(),
        new SecureRandom()).getSpec().getContainers().stream()
        .filter(c -> RuntimeContainer.NAME.equals(c.getName())).findFirst().orElseThrow();
    ports = PortMap.allocate(container, RuntimePorts.INVOKE_NAME, 0);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(),
        ports.local(RuntimePorts.LIFECYCLE)), 8);
    server.createContext("/", exchange -> {
      List<String> tokens = exchange.getRequestHeaders().get(LifecycleEndpoints.TOKEN_HEADER);
      seen.add(new Seen(exchange.getRequestURI().toString(), tokens == null ? List.of() : List.copyOf(tokens)));
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private String token() {
    return container.getEnv().stream().filter(e -> RuntimeEnv.LIFECYCLE_TOKEN.equals(e.getName())).findFirst()
        .orElseThrow().getValue();
  }

  @Test
  void theProbesSendThePodsSecretInTheirHeader() throws Exception {
    for (HTTPGetAction probe : List.of(container.getStartupProbe().getHttpGet(),
        container.getReadinessProbe().getHttpGet())) {
      HttpGet get = new HttpGet(probe, ports, client);
      assertThat(get.get(Duration.ofSeconds(5)).success()).isTrue();
    }
    assertThat(seen).containsExactly(new Seen("/startup", List.of(token())), new Seen("/ready", List.of(token())));
  }

  @Test
  void thePreStopHookSendsThePodsSecretInItsHeaderAndItsQueryButPrintsOnlyThePath() throws Exception {
    HttpGet hook = new HttpGet(container.getLifecycle().getPreStop().getHttpGet(), ports, client);
    assertThat(hook.getAsync().get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    assertThat(seen).containsExactly(new Seen("/pre-stop?token=" + token(), List.of(token())));
    assertThat(hook.path()).as("what [kubelet] lines show").isEqualTo("/pre-stop");
  }
}
