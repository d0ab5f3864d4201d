package dev.fc.operator.runtime;

import static dev.fc.operator.runtime.RuntimeProcess.env;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The runtime contract's behaviour (docs/runtime-contract.md), written once and run against every runtime: the
 * Python runtime, and the custom runtimes' adapter in front of a Python and a Node.js server
 * ({@link ContractRuntime}). What the Python runtime's own tests check beyond this is Python's (loading modules,
 * WSGI, the context object).
 */
class ContractConformanceTest {
  static final Pattern INIT_START = Pattern.compile("FC Initialize Start RequestId: (\\S+)");
  static final Pattern INIT_END = Pattern.compile("FC Initialize End RequestId: (\\S+)");
  static final Pattern PRESTOP_START = Pattern.compile("FC PreStop Start RequestId: (\\S+)");
  static final Pattern PRESTOP_END = Pattern.compile("FC PreStop End RequestId: (\\S+)");
  static final String FAILED = ", Error: Unhandled function error";

  @TempDir Path tmp;

  private ContractRuntime.Instance started(ContractRuntime runtime, String... more) throws Exception {
    return runtime.start(tmp, env(more));
  }

  private static String id(RuntimeProcess rt, Pattern line) {
    Matcher m = line.matcher(rt.awaitLine(line));
    assertThat(m.matches()).isTrue();
    return m.group(1);
  }

  @ParameterizedTest
  @EnumSource(ContractRuntime.class)
  void theInitializerRunsOnceUnderConcurrentProbesWithOneRequestIdInBothLinesAndTheCall(ContractRuntime runtime)
      throws Exception {
    try (var instance = started(runtime)) {
      RuntimeProcess rt = instance.runtime();
      List<CompletableFuture<HttpResponse<String>>> probes =
          IntStream.range(0, 6).mapToObj(i -> rt.getAsync("/startup")).toList();
      assertThat(probes).allSatisfy(p -> assertThat(p.get().statusCode()).isEqualTo(200));
      assertThat(rt.get("/startup").statusCode()).isEqualTo(200);
      assertThat(rt.get("/ready").statusCode()).isEqualTo(200);
      String id = id(rt, INIT_START);
      assertThat(rt.awaitLine(INIT_END)).isEqualTo("FC Initialize End RequestId: " + id);
      assertThat(rt.count(INIT_START)).isEqualTo(1);
      assertThat(rt.fixtureLines("initializer")).containsExactly(id);
    }
  }

  @ParameterizedTest
  @EnumSource(ContractRuntime.class)
  void aFailingInitializerAnswersTheProbe500AndExitsInitializerFailedWithItsMessage(ContractRuntime runtime)
      throws Exception {
    try (var instance = started(runtime, "CONF_INIT", "fail")) {
      RuntimeProcess rt = instance.runtime();
      rt.startupExpectingExit();
      assertThat(rt.awaitExit()).isEqualTo(1);
      String id = id(rt, INIT_START);
      assertThat(rt.lines()).contains("FC Initialize End RequestId: " + id + FAILED);
      JsonNode message = rt.terminationMessage();
      assertThat(message.path("exitReason").asText()).isEqualTo("InitializerFailed");
      assertThat(message.path("message").asText()).startsWith("Initializer conformance.initialize failed: ")
          .contains("initializer broke");
      assertThat(message.path("initializer").path("status").asText()).isEqualTo("failed");
      assertThat(message.path("initialized").asBoolean()).isFalse();
    }
  }

  @ParameterizedTest
  @EnumSource(ContractRuntime.class)
  void aHangingInitializerTimesOutExitingInitializerTimeout(ContractRuntime runtime) throws Exception {
    try (var instance = started(runtime, "CONF_INIT", "hang", "FC_INITIALIZATION_TIMEOUT", "1")) {
      RuntimeProcess rt = instance.runtime();
      rt.startupExpectingExit();
      assertThat(rt.awaitExit()).isEqualTo(2);
      String id = id(rt, INIT_START);
      assertThat(rt.lines()).contains("FC Initialize End RequestId: " + id + FAILED);
      JsonNode message = rt.terminationMessage();
      assertThat(message.path("exitReason").asText()).isEqualTo("InitializerTimeout");
      assertThat(message.path("message").asText())
          .isEqualTo("Initializer conformance.initialize timed out after 1 seconds");
      assertThat(rt.fixtureCount("initializer")).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(ContractRuntime.class)
  void preStopRunsOnceThroughTheHookAndSigtermWithItsRequestId(ContractRuntime runtime) throws Exception {
    try (var instance = started(runtime)) {
      RuntimeProcess rt = instance.runtime();
      rt.awaitStartup();
      HttpResponse<String> hook = rt.get("/pre-stop");
      assertThat(hook.statusCode()).isEqualTo(200);
      assertThat(RuntimeProcess.JSON.readTree(hook.body()).path("status").asText()).isEqualTo("succeeded");
      assertThat(rt.get("/ready").statusCode()).isEqualTo(503);
      assertThat(rt.invoke("echo:late").headers().firstValue("x-fc-error-type")).hasValue("InstanceStopping");
      rt.sigterm();
      assertThat(rt.awaitExit()).isZero();
      String id = id(rt, PRESTOP_START);
      assertThat(rt.lines()).contains("FC PreStop End RequestId: " + id);
      assertThat(rt.count(PRESTOP_START)).isEqualTo(1);
      assertThat(rt.fixtureLines("pre_stop")).containsExactly(id);
      JsonNode message = rt.terminationMessage();
      assertThat(message.path("exitReason").asText()).isEqualTo("Stopped");
      assertThat(message.path("preStop").path("status").asText()).isEqualTo("succeeded");
    }
  }

  @ParameterizedTest
  @EnumSource(ContractRuntime.class)
  void aFailingPreStopIsReportedByTheHookAndTheTerminationMessage(ContractRuntime runtime) throws Exception {
    try (var instance = started(runtime, "CONF_PRESTOP", "fail")) {
      RuntimeProcess rt = instance.runtime();
      rt.awaitStartup();
      HttpResponse<String> hook = rt.get("/pre-stop");
      JsonNode outcome = RuntimeProcess.JSON.readTree(hook.body());
      assertThat(outcome.path("status").asText()).isEqualTo("failed");
      assertThat(outcome.path("error").asText()).contains("pre-stop broke");
      rt.sigterm();
      assertThat(rt.awaitExit()).isZero();
      String id = id(rt, PRESTOP_START);
      assertThat(rt.lines()).contains("FC PreStop End RequestId: " + id + FAILED);
      assertThat(rt.terminationMessage().path("preStop").path("status").asText()).isEqualTo("failed");
    }
  }

  @ParameterizedTest
  @EnumSource(ContractRuntime.class)
  void anInvocationCarriesTheCallersRequestIdToTheCodeTheLinesAndTheAnswer(ContractRuntime runtime)
      throws Exception {
    try (var instance = started(runtime)) {
      RuntimeProcess rt = instance.runtime();
      rt.awaitStartup();
      HttpResponse<String> answer = rt.invoke("echo:hi", "x-fc-request-id", "req-42");
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(answer.body()).isEqualTo("hi");
      assertThat(answer.headers().firstValue("x-fc-request-id")).hasValue("req-42");
      assertThat(answer.headers().firstValue("x-fc-error-type")).isEmpty();
      assertThat(rt.awaitLine(Pattern.compile("FC Invoke End RequestId: req-42"))).isNotNull();
      assertThat(rt.lines()).containsSubsequence("FC Invoke Start RequestId: req-42", "FC Invoke End RequestId: req-42");
      assertThat(rt.fixtureLines("invoke")).containsExactly("req-42");

      HttpResponse<String> fresh = rt.invoke("echo:x");
      String given = fresh.headers().firstValue("x-fc-request-id").orElseThrow();
      assertThat(given).matches(RuntimeProcess.UUID);
      assertThat(rt.fixtureLines("invoke")).containsExactly("req-42", given);
    }
  }

  @ParameterizedTest
  @EnumSource(ContractRuntime.class)
  void aFailingInvocationIsTheFunctionsErrorAndTheInstanceGoesOn(ContractRuntime runtime) throws Exception {
    try (var instance = started(runtime)) {
      RuntimeProcess rt = instance.runtime();
      rt.awaitStartup();
      HttpResponse<String> failed = rt.invoke("fail", "x-fc-request-id", "req-f");
      assertThat(failed.headers().firstValue("x-fc-error-type")).hasValue("UnhandledInvocationError");
      assertThat(failed.body()).contains("handler broke");
      assertThat(rt.awaitLine(Pattern.compile("FC Invoke End RequestId: req-f" + Pattern.quote(FAILED))))
          .isNotNull();
      assertThat(rt.invoke("echo:after").body()).isEqualTo("after");
    }
  }

  @ParameterizedTest
  @EnumSource(ContractRuntime.class)
  void invocationsBeyondInstanceConcurrencyWaitForASlot(ContractRuntime runtime) throws Exception {
    try (var instance = started(runtime, "FC_INSTANCE_CONCURRENCY", "1", "FC_TIMEOUT", "3")) {
      RuntimeProcess rt = instance.runtime();
      rt.awaitStartup();
      List<CompletableFuture<HttpResponse<String>>> calls = IntStream.range(0, 3)
          .mapToObj(i -> rt.invokeAsync("sleep:0.3", "x-fc-request-id", "slot-" + i)).toList();
      assertThat(calls).allSatisfy(c -> assertThat(c.get().body()).isEqualTo("slept"));
      List<String> marks = rt.lines().stream().filter(l -> l.startsWith("FC Invoke ")).toList();
      assertThat(marks).hasSize(6);
      for (int i = 0; i < marks.size(); i += 2) {
        String id = marks.get(i).substring("FC Invoke Start RequestId: ".length());
        assertThat(marks.get(i)).as("one invocation at a time").startsWith("FC Invoke Start");
        assertThat(marks.get(i + 1)).isEqualTo("FC Invoke End RequestId: " + id);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(ContractRuntime.class)
  void anInvocationPastTheTimeoutIsAFunctionTimeoutAndRetiresTheInstanceWithPreStop(ContractRuntime runtime)
      throws Exception {
    try (var instance = started(runtime, "FC_TIMEOUT", "1")) {
      RuntimeProcess rt = instance.runtime();
      rt.awaitStartup();
      HttpResponse<String> late = rt.invoke("sleep:2", "x-fc-request-id", "req-t");
      assertThat(late.headers().firstValue("x-fc-error-type")).hasValue("FunctionTimeout");
      assertThat(rt.awaitExit()).isEqualTo(3);
      assertThat(rt.lines()).contains("FC Invoke End RequestId: req-t" + FAILED);
      assertThat(rt.count(PRESTOP_END)).isEqualTo(1);
      JsonNode message = rt.terminationMessage();
      assertThat(message.path("exitReason").asText()).isEqualTo("InvocationTimeout");
      assertThat(message.path("message").asText()).contains("req-t").contains("FC_TIMEOUT (1 s)");
    }
  }
}
