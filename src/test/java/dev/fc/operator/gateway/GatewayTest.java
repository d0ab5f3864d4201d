package dev.fc.operator.gateway;

import static dev.fc.operator.runtime.RuntimeProcess.env;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fc.operator.Await;
import dev.fc.operator.api.HandlerType;
import dev.fc.operator.contract.TerminationMessage;
import dev.fc.operator.elastic.DemandReport;
import dev.fc.operator.runtime.RuntimeProcess;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway in-process, routing to real runtime processes on 127.0.0.1. */
class GatewayTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final FunctionKey F = new FunctionKey("ns", "f");
  private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

  @TempDir Path tmp;
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final List<RuntimeProcess> runtimes = new ArrayList<>();
  private Gateway gateway;

  @BeforeEach
  void startGateway() throws IOException {
    gateway = Gateway.start(new GatewaySettings(0, 0, "ns", "gw-test"), registry, () -> true);
  }

  @AfterEach
  void stop() {
    gateway.close();
    runtimes.forEach(RuntimeProcess::close);
  }

  private static RoutedFunction function(HandlerType type, int concurrency, int timeout, int initializerTimeout,
      int maxInstances, InitializerBackoff backoff) {
    return new RoutedFunction(F, "uid", type, concurrency, timeout, initializerTimeout, maxInstances, backoff);
  }

  private RuntimeProcess runtime(String name, String... env) throws IOException {
    RuntimeProcess rt = RuntimeProcess.start(Files.createDirectories(tmp.resolve(name)), env(env));
    runtimes.add(rt);
    return rt;
  }

  private RuntimeProcess ready(String pod, String... env) throws IOException {
    RuntimeProcess rt = runtime(pod, env);
    rt.awaitStartup();
    gateway.directory().putInstance(F, RoutedInstance.ready(pod, "127.0.0.1", rt.invokePort));
    return rt;
  }

  private HttpRequest.Builder invocation(String body) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/2023-03-30/functions/"
        + F.name() + "/invocations")).timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body));
  }

  private static HttpResponse<String> send(HttpRequest request) {
    return CLIENT.sendAsync(request, HttpResponse.BodyHandlers.ofString()).join();
  }

  private static CompletableFuture<HttpResponse<String>> sendAsync(HttpRequest request) {
    return CLIENT.sendAsync(request, HttpResponse.BodyHandlers.ofString());
  }

  private static String header(HttpResponse<?> response, String name) {
    return response.headers().firstValue(name).orElse(null);
  }

  private HttpResponse<String> admin(String pathAndQuery) {
    return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.adminPort() + pathAndQuery))
        .timeout(Duration.ofSeconds(40)).GET().build());
  }

  @Test
  void anInvocationIsHeldUntilAnInstanceIsReadyThenServedWithTheClientsRequestId() throws Exception {
    gateway.directory().putFunction(function(HandlerType.EVENT, 1, 10, 0, 10, null));
    CompletableFuture<HttpResponse<String>> held =
        sendAsync(invocation("hello").header("x-fc-request-id", "client-id-1").build());
    Await.until("the invocation is held", () -> gateway.directory().queued(F) == 1);
    assertThat(held).isNotDone();

    RuntimeProcess rt = ready("f-a", "FC_FUNCTION_HANDLER", "handlers.echo");
    HttpResponse<String> response = held.join();
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(header(response, "x-fc-request-id")).isEqualTo("client-id-1");
    assertThat(JSON.readTree(response.body()).path("requestId").asText()).isEqualTo("client-id-1");
    assertThat(JSON.readTree(response.body()).path("length").asInt()).isEqualTo(5);
    rt.awaitLine(Pattern.compile("FC Invoke Start RequestId: client-id-1"));

    String metrics = admin("/metrics").body();
    assertThat(metrics)
        .contains("fc_gateway_held_invocations_total{function=\"f\",namespace=\"ns\"} 1.0")
        .contains("fc_gateway_invocations_total{function=\"f\",namespace=\"ns\",outcome=\"success\"} 1.0")
        .contains("fc_gateway_queue_wait_seconds_count{function=\"f\",namespace=\"ns\"} 1")
        .contains("fc_gateway_in_flight{function=\"f\",namespace=\"ns\"} 0.0")
        .contains("fc_gateway_queued{function=\"f\",namespace=\"ns\"} 0.0");
  }

  @Test
  void aMissingOrInvalidRequestIdIsReplacedByANewOneThatTheInstanceUses() throws Exception {
    gateway.directory().putFunction(function(HandlerType.EVENT, 1, 10, 0, 10, null));
    RuntimeProcess rt = ready("f-a", "FC_FUNCTION_HANDLER", "handlers.echo");
    for (HttpRequest request : List.of(invocation("x").build(),
        invocation("x").header("x-fc-request-id", "has space").build(),
        invocation("x").header("x-fc-request-id", "a").header("x-fc-request-id", "b").build())) {
      HttpResponse<String> response = send(request);
      String id = header(response, "x-fc-request-id");
      assertThat(id).matches(UUID);
      assertThat(JSON.readTree(response.body()).path("requestId").asText()).isEqualTo(id);
      rt.awaitLine(Pattern.compile("FC Invoke Start RequestId: " + Pattern.quote(id)));
    }
  }

  @Test
  void neverMoreThanTheConcurrencyOnAnInstanceAndAllAreServed() throws Exception {
    gateway.directory().putFunction(function(HandlerType.EVENT, 2, 10, 0, 10, null));
    // the runtime itself would take 5 at once: only the gateway keeps it to 2
    ready("f-a", "FC_FUNCTION_HANDLER", "handlers.hold", "FC_INSTANCE_CONCURRENCY", "5", "FC_TIMEOUT", "10");
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      calls.add(sendAsync(invocation("0.3").build()));
    }
    int most = 0;
    for (CompletableFuture<HttpResponse<String>> call : calls) {
      HttpResponse<String> response = call.join();
      assertThat(response.statusCode()).isEqualTo(200);
      most = Math.max(most, JSON.readTree(response.body()).path("maxInFlight").asInt());
    }
    assertThat(most).isEqualTo(2);
  }

  @Test
  void aStoppingGatewayLetsTheInvocationInFlightFinishAndRefusesNewConnections() throws Exception {
    gateway.directory().putFunction(function(HandlerType.EVENT, 1, 10, 0, 10, null));
    RuntimeProcess rt = ready("f-a", "FC_FUNCTION_HANDLER", "handlers.hold", "FC_TIMEOUT", "10");
    CompletableFuture<HttpResponse<String>> inFlight = sendAsync(invocation("1.5").build());
    rt.awaitLine(java.util.regex.Pattern.compile("FC Invoke Start RequestId: .*"));
    CompletableFuture<Void> closed = CompletableFuture.runAsync(() -> gateway.close(Duration.ofSeconds(20)));
    HttpResponse<String> answer = inFlight.join();
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    closed.join();
    assertThat(sendAsync(invocation("0").build())).failsWithin(Duration.ofSeconds(10));
  }

  @Test
  void invocationsPackOntoTheBusiestInstance() throws Exception {
    gateway.directory().putFunction(function(HandlerType.EVENT, 2, 10, 0, 10, null));
    RuntimeProcess a = ready("f-a", "FC_FUNCTION_HANDLER", "handlers.hold", "FC_INSTANCE_CONCURRENCY", "2");
    RuntimeProcess b = ready("f-b", "FC_FUNCTION_HANDLER", "handlers.hold", "FC_INSTANCE_CONCURRENCY", "2");
    Pattern start = Pattern.compile("FC Invoke Start RequestId: .*");
    for (int i = 0; i < 3; i++) {
      assertThat(send(invocation("0").build()).statusCode()).isEqualTo(200);
    }
    assertThat(List.of(a.count(start), b.count(start))).as("one after the other: all on one instance")
        .containsExactlyInAnyOrder(3L, 0L);

    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    calls.add(sendAsync(invocation("2").build()));
    Await.until("one in flight", () -> gateway.directory().inFlight(F) == 1);
    calls.add(sendAsync(invocation("2").build()));
    Await.until("two in flight", () -> gateway.directory().inFlight(F) == 2);
    calls.add(sendAsync(invocation("2").build()));
    calls.forEach(c -> assertThat(c.join().statusCode()).isEqualTo(200));
    assertThat(List.of(a.count(start), b.count(start))).as("2 packed on the busy one, the 3rd on the other")
        .containsExactlyInAnyOrder(5L, 1L);
  }

  @Test
  void anInitializerFailureAnswersTheHeldInvocationWithTheInstancesMessage() throws Exception {
    gateway.directory().putFunction(function(HandlerType.EVENT, 1, 10, 10, 10, null));
    CompletableFuture<HttpResponse<String>> held =
        sendAsync(invocation("x").header("x-fc-request-id", "init-1").build());
    Await.until("the invocation is held", () -> gateway.directory().queued(F) == 1);
    RuntimeProcess rt = runtime("f-a", "FC_FUNCTION_HANDLER", "handlers.echo",
        "FC_INITIALIZER_HANDLER", "hooks.init_raises");
    rt.awaitExit();
    String message = ResourceReader.message(TerminationMessage.parse(Files.readString(rt.terminationLog)));
    gateway.directory().putInstance(F, RoutedInstance.initializerFailed("f-a", message));

    HttpResponse<String> response = held.join();
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(header(response, "x-fc-error-type")).isEqualTo("InitializationError");
    assertThat(header(response, "x-fc-request-id")).isEqualTo("init-1");
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.path("errorType").asText()).isEqualTo("InitializationError");
    assertThat(body.path("errorMessage").asText())
        .isEqualTo("Initializer hooks.init_raises failed: ValueError: initializer broke");
  }

  @Test
  void duringTheBackoffAfterAnInitializerFailureInvocationsFailFast() throws Exception {
    Instant notBefore = Instant.now().plusSeconds(60);
    gateway.directory().putFunction(function(HandlerType.EVENT, 1, 10, 10, 10,
        new InitializerBackoff(notBefore, "instance f-a: InitializerFailed: initializer broke", "InitializerFailed")));
    HttpResponse<String> response = send(invocation("x").build());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(header(response, "x-fc-error-type")).isEqualTo("InitializationError");
    assertThat(header(response, "x-fc-request-id")).matches(UUID);
    assertThat(JSON.readTree(response.body()).path("errorMessage").asText())
        .contains("initializer broke", notBefore.toString());
  }

  @Test
  void atTheInstanceCapAllSlotsBusyTheHoldEndsWithResourceThrottled() throws Exception {
    gateway.directory().putFunction(function(HandlerType.EVENT, 1, 1, 0, 1, null));
    gateway.directory().putInstance(F, RoutedInstance.ready("f-a", "127.0.0.1", 9));
    Slot busy = gateway.directory().acquire(F).join(); // the one slot, taken
    HttpResponse<String> response = send(invocation("x").header("x-fc-request-id", "thr-1").build());
    assertThat(response.statusCode()).isEqualTo(429);
    assertThat(header(response, "x-fc-error-type")).isEqualTo("ResourceThrottled");
    assertThat(header(response, "x-fc-request-id")).isEqualTo("thr-1");
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.path("errorType").asText()).isEqualTo("ResourceThrottled");
    assertThat(body.path("errorMessage").asText()).contains("ns/f", "= 1 s", "1 of at most 1 instances");
    gateway.directory().release(busy);
    assertThat(admin("/metrics").body())
        .contains("fc_gateway_invocations_total{function=\"f\",namespace=\"ns\",outcome=\"throttled\"} 1.0");
  }

  @Test
  void belowTheCapTheHoldEndsWithInstanceStartTimeout() throws Exception {
    gateway.directory().putFunction(function(HandlerType.EVENT, 1, 1, 0, 5, null));
    HttpResponse<String> response = send(invocation("x").build());
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(header(response, "x-fc-error-type")).isEqualTo("InstanceStartTimeout");
    assertThat(JSON.readTree(response.body()).path("errorMessage").asText()).contains("ns/f", "= 1 s");
  }

  @Test
  void anUnknownFunctionOrRouteIsNotFound() throws Exception {
    HttpResponse<String> unknown = send(invocation("x").header("x-fc-namespace", "other").build());
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(header(unknown, "x-fc-error-type")).isEqualTo("FunctionNotFound");
    assertThat(header(unknown, "x-fc-request-id")).matches(UUID);
    assertThat(JSON.readTree(unknown.body()).path("errorMessage").asText()).contains("f", "other");

    HttpResponse<String> noRoute = send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + gateway.port() + "/elsewhere")).header("x-fc-request-id", "r-1").build());
    assertThat(noRoute.statusCode()).isEqualTo(404);
    assertThat(header(noRoute, "x-fc-error-type")).isEqualTo("NotFound");
    assertThat(header(noRoute, "x-fc-request-id")).isEqualTo("r-1");
  }

  @Test
  void anHttpFunctionGetsMethodPathQueryHeadersAndBodyOnThePlainRoute() throws Exception {
    gateway.directory().putFunction(function(HandlerType.HTTP, 1, 10, 0, 10, null));
    RuntimeProcess rt = ready("f-a", "FC_FUNCTION_HANDLER", "wsgi_app.app", "FC_HANDLER_TYPE", "http");
    HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port()
        + "/fn/ns/f/some/path?a=1&b=x%20y")).header("X-Custom", "yes").header("x-fc-request-id", "http-1")
        .PUT(HttpRequest.BodyPublishers.ofString("the body")).build());
    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(header(response, "x-app")).isEqualTo("yes");
    assertThat(header(response, "x-fc-request-id")).isEqualTo("http-1");
    JsonNode doc = JSON.readTree(response.body());
    assertThat(doc.path("method").asText()).isEqualTo("PUT");
    assertThat(doc.path("path").asText()).isEqualTo("/some/path");
    assertThat(doc.path("query").asText()).isEqualTo("a=1&b=x%20y");
    assertThat(doc.path("body").asText()).isEqualTo("the body");
    assertThat(doc.path("header").asText()).isEqualTo("yes");
    assertThat(doc.path("request_id").asText()).isEqualTo("http-1");

    HttpResponse<String> invoked = send(invocation("posted").build());
    assertThat(JSON.readTree(invoked.body()).path("path").asText()).as("InvokeFunction of an HTTP function: /")
        .isEqualTo("/");

    HttpResponse<String> broken = send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + gateway.port() + "/fn/ns/f/raise")).build());
    assertThat(header(broken, "x-fc-error-type")).as("the instance's error passes through").isNotNull();
    assertThat(admin("/metrics").body())
        .contains("fc_gateway_invocations_total{function=\"f\",namespace=\"ns\",outcome=\"function_error\"} 1.0");
    rt.awaitLine(Pattern.compile("FC Invoke Start RequestId: http-1"));
  }

  @Test
  void anInstanceDyingMidInvocationGives502() throws Exception {
    gateway.directory().putFunction(function(HandlerType.EVENT, 1, 30, 0, 10, null));
    RuntimeProcess rt = ready("f-a", "FC_FUNCTION_HANDLER", "handlers.hang", "FC_TIMEOUT", "30");
    CompletableFuture<HttpResponse<String>> call = sendAsync(invocation("x").header("x-fc-request-id", "dies").build());
    rt.awaitLine(Pattern.compile("FC Invoke Start RequestId: dies"));
    rt.sigkill();
    HttpResponse<String> response = call.join();
    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(header(response, "x-fc-error-type")).isEqualTo("InstanceError");
    assertThat(header(response, "x-fc-request-id")).isEqualTo("dies");
    assertThat(JSON.readTree(response.body()).path("errorMessage").asText()).contains("f-a", "ns/f");
    assertThat(gateway.directory().inFlight(F)).as("its slot is given back").isZero();
  }

  @Test
  void theDemandLongPoll() throws Exception {
    gateway.directory().putFunction(function(HandlerType.EVENT, 1, 10, 0, 10, null));
    gateway.directory().putInstance(F, RoutedInstance.ready("f-a", "127.0.0.1", 9));
    DemandReport first = JSON.readValue(admin("/demand?after=-1&waitMillis=30000").body(), DemandReport.class);
    assertThat(first.gateway()).isEqualTo("gw-test");
    assertThat(first.functions()).isEmpty();

    CompletableFuture<HttpResponse<String>> poll = sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + gateway.adminPort() + "/demand?after=" + first.version() + "&waitMillis=30000")).build());
    Slot slot = gateway.directory().acquire(F).join(); // an invocation in flight: a change
    DemandReport changed = JSON.readValue(poll.join().body(), DemandReport.class);
    assertThat(changed.version()).isGreaterThan(first.version());
    assertThat(changed.functions()).containsExactly(new DemandReport.FunctionDemand("ns", "f", 1, 0,
        List.of(new DemandReport.InstanceActivity("f-a", 1, 0))));

    long start = System.nanoTime();
    DemandReport quiet = JSON.readValue(admin("/demand?after=" + changed.version() + "&waitMillis=300").body(),
        DemandReport.class);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("it waited").isGreaterThanOrEqualTo(
        Duration.ofMillis(290));
    assertThat(quiet.version()).isEqualTo(changed.version());
    gateway.directory().release(slot);

    assertThat(admin("/demand?after=x").statusCode()).isEqualTo(400);
    assertThat(admin("/healthz").statusCode()).isEqualTo(200);
    assertThat(admin("/readyz").statusCode()).isEqualTo(200);
  }

  // ---- routing as soon as the Initializer ends ------------------------------------------------

  /** The runtime as an initializing pod: running, not Ready, its startup endpoint with {@code token}. */
  private void putInitializing(String pod, RuntimeProcess rt, String token) {
    gateway.directory().putInstance(F, RoutedInstance.initializing(pod, "127.0.0.1", rt.invokePort,
        new StartupEndpoint("127.0.0.1", rt.lifecyclePort, token)));
  }

  private double startupWatches(String result) {
    var counter = registry.find("fc.gateway.startup.watches").tag("result", result).counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void aHeldInvocationIsServedAsSoonAsTheInitializerEndsWithoutThePodEverBeingReady() throws Exception {
    gateway.directory().putFunction(function(HandlerType.EVENT, 1, 10, 10, 10, null));
    CompletableFuture<HttpResponse<String>> held =
        sendAsync(invocation("hello").header("x-fc-request-id", "early-1").build());
    Await.until("the invocation is held", () -> gateway.directory().queued(F) == 1);
    RuntimeProcess rt = runtime("f-a", "FC_FUNCTION_HANDLER", "handlers.echo",
        "FC_INITIALIZER_HANDLER", "hooks.init_sleeps", "FIXTURE_INIT_SLEEP", "1.5");
    putInitializing("f-a", rt, RuntimeProcess.TOKEN);

    HttpResponse<String> response = held.join();
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(JSON.readTree(response.body()).path("requestId").asText()).isEqualTo("early-1");
    Pattern initEnd = Pattern.compile("FC Initialize End RequestId: .*");
    Pattern invokeStart = Pattern.compile("FC Invoke Start RequestId: early-1");
    assertThat(rt.awaitLineIndex(initEnd)).isLessThan(rt.awaitLineIndex(invokeStart));
    long gapMillis = Duration.ofNanos(rt.awaitLineNanos(invokeStart) - rt.awaitLineNanos(initEnd)).toMillis();
    System.out.println("GatewayTest: Initialize End -> Invoke Start " + gapMillis + " ms (pod never Ready)");
    assertThat(gapMillis).as("the handler starts right after the Initializer, not after the kubelet's Ready")
        .isLessThan(1000);
    assertThat(startupWatches("initialized")).isEqualTo(1.0);
    assertThat(admin("/metrics").body()).contains("fc_gateway_startup_watches_total{result=\"initialized\"} 1.0")
        .doesNotContain(RuntimeProcess.TOKEN);
  }

  @Test
  void aFailingInitializerWatchedEarlyRoutesNothingAndTheHeldInvocationGetsInitializationError() throws Exception {
    gateway.directory().putFunction(function(HandlerType.EVENT, 1, 10, 10, 10, null));
    CompletableFuture<HttpResponse<String>> held =
        sendAsync(invocation("x").header("x-fc-request-id", "init-late").build());
    Await.until("the invocation is held", () -> gateway.directory().queued(F) == 1);
    RuntimeProcess rt = runtime("f-a", "FC_FUNCTION_HANDLER", "handlers.echo",
        "FC_INITIALIZER_HANDLER", "hooks.init_sleeps_then_raises", "FIXTURE_INIT_SLEEP", "0.5");
    putInitializing("f-a", rt, RuntimeProcess.TOKEN);
    // the runtime answers the watch 500 as it exits, or the exit cuts that answer: either way nothing routes
    assertThat(rt.awaitExit()).isNotZero();
    assertThat(held).isNotDone();
    assertThat(gateway.directory().queued(F)).isEqualTo(1);

    String message = ResourceReader.message(TerminationMessage.parse(Files.readString(rt.terminationLog)));
    gateway.directory().putInstance(F, RoutedInstance.initializerFailed("f-a", message));
    HttpResponse<String> response = held.join();
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(header(response, "x-fc-error-type")).isEqualTo("InitializationError");
    assertThat(JSON.readTree(response.body()).path("errorMessage").asText())
        .isEqualTo("Initializer hooks.init_sleeps_then_raises failed: ValueError: initializer broke late");
    assertThat(rt.lines()).noneMatch(l -> l.startsWith("FC Invoke Start"));
    assertThat(startupWatches("initialized")).isZero();
  }

  @Test
  void aWrongTokenNeverRoutesTheInstanceWaitsForItsPodsReady() throws Exception {
    gateway.directory().putFunction(function(HandlerType.EVENT, 1, 10, 10, 10, null));
    CompletableFuture<HttpResponse<String>> held = sendAsync(invocation("x").build());
    Await.until("the invocation is held", () -> gateway.directory().queued(F) == 1);
    RuntimeProcess rt = runtime("f-a", "FC_FUNCTION_HANDLER", "handlers.echo",
        "FC_INITIALIZER_HANDLER", "hooks.init_sleeps", "FIXTURE_INIT_SLEEP", "0.3");
    putInitializing("f-a", rt, "not-" + RuntimeProcess.TOKEN);
    Await.until("the runtime refused the watch", () -> startupWatches("not_initialized") == 1.0);
    rt.awaitStartup(); // the Initializer has ended: still nothing routed
    assertThat(held).isNotDone();
    assertThat(rt.lines()).noneMatch(l -> l.startsWith("FC Invoke Start"));

    gateway.directory().putInstance(F, RoutedInstance.ready("f-a", "127.0.0.1", rt.invokePort));
    assertThat(held.join().statusCode()).isEqualTo(200);
    assertThat(startupWatches("initialized")).isZero();
  }
}
