package dev.fc.operator.gateway;

import static dev.fc.operator.runtime.RuntimeProcess.env;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fc.operator.Await;
import dev.fc.operator.api.HandlerType;
import dev.fc.operator.elastic.DemandReport;
import dev.fc.operator.runtime.RuntimeProcess;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two gateway replicas in-process, each told the other through its {@link PeerSet}, before one real runtime
 * process: the function's owner serves every invocation, the other forwards (docs/gateway.md, "Several replicas").
 */
class GatewayPeersTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final FunctionKey F = new FunctionKey("ns", "f");
  private static final String OWNER = Ownership.owner(F, List.of("gw-a", "gw-b"));
  private static final String OTHER = OWNER.equals("gw-a") ? "gw-b" : "gw-a";
  private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

  @TempDir Path tmp;
  private final PrometheusMeterRegistry ownerMetrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final PrometheusMeterRegistry otherMetrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final List<RuntimeProcess> runtimes = new ArrayList<>();
  private Gateway owner;
  private Gateway other;

  @BeforeEach
  void startGateways() throws IOException {
    owner = Gateway.start(new GatewaySettings(0, 0, "ns", OWNER), ownerMetrics, () -> true);
    other = Gateway.start(new GatewaySettings(0, 0, "ns", OTHER), otherMetrics, () -> true);
    tellPeers(owner.port());
  }

  /** Both replicas know both, the owner at {@code ownerPort}. */
  private void tellPeers(int ownerPort) {
    List<Peer> both = List.of(Peer.of(OWNER, "127.0.0.1", ownerPort), Peer.of(OTHER, "127.0.0.1", other.port()));
    owner.peers().replace(both);
    other.peers().replace(both);
  }

  @AfterEach
  void stop() {
    owner.close();
    other.close();
    runtimes.forEach(RuntimeProcess::close);
  }

  /** The function and its one instance, in both directories, as both replicas' informers would tell them. */
  private RuntimeProcess ready(int concurrency, String... env) throws IOException {
    RuntimeProcess rt = RuntimeProcess.start(Files.createDirectories(tmp.resolve("f-a")), env(env));
    runtimes.add(rt);
    rt.awaitStartup();
    for (Gateway g : List.of(owner, other)) {
      g.directory().putFunction(new RoutedFunction(F, "uid", HandlerType.EVENT, concurrency, 10, 0, 1, null));
      g.directory().putInstance(F, RoutedInstance.ready("f-a", "127.0.0.1", rt.invokePort));
    }
    return rt;
  }

  private static HttpRequest.Builder invocation(Gateway to, String body) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + to.port() + "/2023-03-30/functions/"
        + F.name() + "/invocations")).timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body));
  }

  private static HttpResponse<String> send(HttpRequest request) {
    return CLIENT.sendAsync(request, HttpResponse.BodyHandlers.ofString()).join();
  }

  private static String header(HttpResponse<?> response, String name) {
    return response.headers().firstValue(name).orElse(null);
  }

  private static List<String> demanded(Gateway g) {
    return g.directory().demand("x").functions().stream().map(d -> d.namespace() + "/" + d.name()).toList();
  }

  @Test
  void invocationsThroughBothReplicasKeepToTheConcurrencyAndTheOwnerReportsThemAll() throws Exception {
    // the runtime itself would take 5 at once: only the owner's slots keep it to 2
    ready(2, "FC_FUNCTION_HANDLER", "handlers.hold", "FC_INSTANCE_CONCURRENCY", "5", "FC_TIMEOUT", "10");
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      calls.add(CLIENT.sendAsync(invocation(i % 2 == 0 ? owner : other, "0.6").build(),
          HttpResponse.BodyHandlers.ofString()));
    }
    DemandReport.FunctionDemand all = Await.value("the owner's demand has all 6",
        () -> owner.directory().demand(OWNER).functions(),
        d -> d.size() == 1 && d.get(0).inFlight() + d.get(0).queued() == 6).get(0);
    assertThat(all.inFlight()).isEqualTo(2);
    assertThat(all.queued()).isEqualTo(4);
    assertThat(demanded(other)).as("the other replica's demand report has none of them").isEmpty();

    int most = 0;
    for (CompletableFuture<HttpResponse<String>> call : calls) {
      HttpResponse<String> response = call.join();
      assertThat(response.statusCode()).isEqualTo(200);
      most = Math.max(most, JSON.readTree(response.body()).path("maxInFlight").asInt());
    }
    assertThat(most).isEqualTo(2);
    assertThat(demanded(other)).isEmpty();
    assertThat(other.directory().inFlight(F) + other.directory().queued(F)).isZero();
    assertThat(otherMetrics.scrape())
        .contains("fc_gateway_forwarded_total{function=\"f\",namespace=\"ns\",result=\"answered\"} 3.0")
        .doesNotContain("fc_gateway_invocations_total{");
    assertThat(ownerMetrics.scrape())
        .contains("fc_gateway_invocations_total{function=\"f\",namespace=\"ns\",outcome=\"success\"} 6.0")
        .doesNotContain("fc_gateway_forwarded_total{");
  }

  @Test
  void aForwardedInvocationKeepsTheRequestIdTheForwardingReplicaChose() throws Exception {
    RuntimeProcess rt = ready(1, "FC_FUNCTION_HANDLER", "handlers.echo");
    HttpResponse<String> given = send(invocation(other, "hello").header("x-fc-request-id", "fwd-1").build());
    assertThat(given.statusCode()).isEqualTo(200);
    assertThat(header(given, "x-fc-request-id")).isEqualTo("fwd-1");
    assertThat(JSON.readTree(given.body()).path("requestId").asText()).isEqualTo("fwd-1");
    assertThat(JSON.readTree(given.body()).path("length").asInt()).isEqualTo(5);
    rt.awaitLine(Pattern.compile("FC Invoke Start RequestId: fwd-1"));

    HttpResponse<String> made = send(invocation(other, "x").header("x-fc-request-id", "a")
        .header("x-fc-request-id", "b").build());
    String id = header(made, "x-fc-request-id");
    assertThat(id).matches(UUID);
    assertThat(JSON.readTree(made.body()).path("requestId").asText()).as("the owner honoured it").isEqualTo(id);
    rt.awaitLine(Pattern.compile("FC Invoke Start RequestId: " + Pattern.quote(id)));
    assertThat(demanded(other)).isEmpty();
    assertThat(demanded(owner)).containsExactly("ns/f");
  }

  @Test
  void anInvocationThatWasForwardedOnceIsServedWhereItArrives() throws Exception {
    RuntimeProcess rt = ready(1, "FC_FUNCTION_HANDLER", "handlers.echo");
    HttpResponse<String> response = send(invocation(other, "x").header("x-fc-request-id", "hop-1")
        .header("x-fc-gateway-hop", OWNER).build());
    assertThat(response.statusCode()).isEqualTo(200);
    rt.awaitLine(Pattern.compile("FC Invoke Start RequestId: hop-1"));
    assertThat(demanded(other)).as("served by the replica it reached").containsExactly("ns/f");
    assertThat(JSON.readTree(response.body()).path("requestId").asText()).isEqualTo("hop-1");
    assertThat(demanded(owner)).isEmpty();
    assertThat(otherMetrics.scrape()).doesNotContain("fc_gateway_forwarded_total{");
  }

  @Test
  void whenTheOwnerCannotBeReachedTheOtherServesItItself() throws Exception {
    RuntimeProcess rt = ready(1, "FC_FUNCTION_HANDLER", "handlers.echo");
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    tellPeers(closed);
    for (String id : List.of("down-1", "down-2")) {
      HttpResponse<String> response = send(invocation(other, "x").header("x-fc-request-id", id).build());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(header(response, "x-fc-request-id")).isEqualTo(id);
      rt.awaitLine(Pattern.compile("FC Invoke Start RequestId: " + id));
    }
    assertThat(demanded(other)).containsExactly("ns/f");
    assertThat(otherMetrics.scrape())
        .contains("fc_gateway_forwarded_total{function=\"f\",namespace=\"ns\",result=\"unreachable\"} 2.0")
        .contains("fc_gateway_invocations_total{function=\"f\",namespace=\"ns\",outcome=\"success\"} 2.0");
  }

  @Test
  void anOwnerThatBreaksTheConnectionAfterTheSendGives502GatewayErrorNotARetry() throws Exception {
    RuntimeProcess rt = ready(1, "FC_FUNCTION_HANDLER", "handlers.echo");
    try (ServerSocket broken = new ServerSocket(0)) {
      tellPeers(broken.getLocalPort());
      CompletableFuture<HttpResponse<String>> call =
          CLIENT.sendAsync(invocation(other, "x").header("x-fc-request-id", "broke-1").build(),
              HttpResponse.BodyHandlers.ofString());
      try (Socket accepted = broken.accept(); InputStream in = accepted.getInputStream()) {
        String head = new String(in.readNBytes(17));
        assertThat(head).startsWith("POST /2023-03-30/");
      } // closed without an answer
      HttpResponse<String> response = call.join();
      assertThat(response.statusCode()).isEqualTo(502);
      assertThat(header(response, "x-fc-error-type")).isEqualTo("GatewayError");
      assertThat(header(response, "x-fc-request-id")).isEqualTo("broke-1");
      assertThat(JSON.readTree(response.body()).path("errorMessage").asText())
          .contains(OWNER, "ns/f", "not retried");
    }
    assertThat(rt.count(Pattern.compile("FC Invoke Start RequestId: broke-1"))).as("not served elsewhere").isZero();
    assertThat(demanded(other)).isEmpty();
    assertThat(otherMetrics.scrape())
        .contains("fc_gateway_forwarded_total{function=\"f\",namespace=\"ns\",result=\"broken\"} 1.0");
  }
}
