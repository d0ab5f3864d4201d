package dev.fc.operator.runtime;

import static dev.fc.operator.runtime.RuntimeProcess.env;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fc.operator.contract.LifecycleEndpoints;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.io.TempDir;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The runtime contract's behaviour (docs/runtime-contract.md), written once and run against every runtime: the
 * Python runtime, the custom runtimes' adapter in front of a Python and a Node.js server, and the Node.js runtime
 * ({@link ContractRuntime}; the fixtures behave alike, chosen by {@code CONF_INIT}, {@code CONF_PRESTOP} and the
 * event). It covers:
 *
 * <ul>
 *   <li>the Initializer: started with the runtime without a probe, once under concurrent probes that are held
 *       until it ends, one request id in its lines and its call; failing (exit 1), hanging past its timeout
 *       (exit 2); an instance without one, initialized once its code is up, nothing called;
 *   <li>the startup probe's hold ({@code FC_STARTUP_PROBE_HOLD}): 503 when it runs out, at once afterwards;
 *   <li>the termination message: the cold-start phases after the first readiness, the provisional message
 *       before the probe passes that survives SIGKILL, the 4 KiB cap with valid JSON;
 *   <li>PreStop: once through the hook (also {@code //pre-stop}, as Kubernetes 1.20 sends it) and SIGTERM,
 *       SIGTERM alone draining in-flight invocations first, failing, hanging past its timeout (readiness false
 *       meanwhile), killed while it runs ("interrupted"), skipped when the Initializer never succeeded;
 *   <li>invocations: the caller's or a new request id, a failing one, waiting for a slot, 429
 *       ConcurrencyLimitExceeded past FC_TIMEOUT's wait, FunctionTimeout retiring the instance (exit 3);
 *   <li>the lifecycle secret: every request without it refused 403, changing nothing; no runtime starting without
 *       a usable one (exit 4), none printing it;
 *   <li>FC's log lines, exactly;
 *   <li>malformed and oversized requests on both ports ({@link RuntimeHttpHardeningTest}'s cases).
 * </ul>
 *
 * Where a runtime legitimately differs (a Python traceback or the server's answer in an error, where the user's
 * output goes), the test asserts the common part and each runtime's own explicitly. What the Python runtime's own
 * tests check beyond this is Python's (loading modules, tracebacks, WSGI, the context object, print and the
 * logger, isolation, the secret kept from the user's code); the rest of the HTTP hardening (timeouts, slow and
 * idle clients, bursts) runs against the Python runtime alone, as the adapter serves both ports with the same
 * code (fc_http, fc_request). What only the adapter does is {@link AdapterTest}'s.
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
      // the fixtures take 300 ms: probes sent while the Initializer runs are held, not answered 503
      List<CompletableFuture<HttpResponse<String>>> probes =
          IntStream.range(0, 20).mapToObj(i -> rt.getAsync("/startup")).toList();
      assertThat(probes).allSatisfy(p -> assertThat(p.get().statusCode()).isEqualTo(200));
      List<CompletableFuture<HttpResponse<String>>> later =
          IntStream.range(0, 20).mapToObj(i -> rt.getAsync("/startup")).toList();
      assertThat(later).allSatisfy(p -> assertThat(p.get().statusCode()).isEqualTo(200));
      assertThat(rt.get("/ready").statusCode()).isEqualTo(200);
      String id = id(rt, INIT_START);
      assertThat(rt.awaitLine(INIT_END)).isEqualTo("FC Initialize End RequestId: " + id);
      assertThat(rt.count(INIT_START)).isEqualTo(1);
      assertThat(rt.count(INIT_END)).isEqualTo(1);
      assertThat(rt.fixtureLines("initializer")).containsExactly(id);
    }
  }

  @ParameterizedTest
  @EnumSource(ContractRuntime.class)
  void theInitializerStartsWithTheRuntimeWithoutWaitingForAProbe(ContractRuntime runtime) throws Exception {
    try (var instance = started(runtime)) {
      RuntimeProcess rt = instance.runtime();
      rt.await("the Initializer to end with no probe sent", () -> fixtureCount(rt, "initializer") == 1);
      rt.awaitLine(INIT_END);
      long asked = System.nanoTime();
      assertThat(rt.get("/startup").statusCode()).isEqualTo(200);
      assertThat((System.nanoTime() - asked) / 1_000_000).as("ms for /startup after success").isLessThan(1000);
      assertThat(rt.get("/ready").statusCode()).isEqualTo(200);
    }
  }

  @ParameterizedTest
  @EnumSource(ContractRuntime.class)
  void withoutAnInitializerTheInstanceIsInitializedOnceItsCodeIsUpAndNothingIsCalled(ContractRuntime runtime)
      throws Exception {
    try (var instance = started(runtime, "FC_INITIALIZER_HANDLER", "")) {
      RuntimeProcess rt = instance.runtime();
      rt.awaitStartup();
      assertThat(rt.get("/ready").statusCode()).isEqualTo(200);
      assertThat(rt.invoke("echo:first").body()).isEqualTo("first");
      assertThat(rt.lines()).noneMatch(l -> l.startsWith("FC Initialize"));
      assertThat(rt.fixtureCount("initializer")).as("no Initializer called").isZero();
      JsonNode provisional = rt.terminationMessage();
      assertThat(provisional.has("exitReason")).isFalse();
      assertThat(provisional.path("initialized").asBoolean(false)).isTrue();
      assertThat(provisional.has("initializer")).isFalse();
      rt.sigterm();
      assertThat(rt.awaitExit()).isZero();
      JsonNode last = rt.terminationMessage();
      assertThat(last.path("exitReason").asText()).isEqualTo("Stopped");
      assertThat(last.path("initialized").asBoolean(false)).isTrue();
      assertThat(last.has("initializer")).isFalse();
      assertThat(last.path("preStop").path("status").asText()).isEqualTo("succeeded");
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
      assertThat(message.path("initializer").path("durationMs").isInt()).isTrue();
      assertThat(message.path("initializer").path("error").asText()).contains("initializer broke");
      assertThat(message.path("initialized").isBoolean()).isTrue();
      assertThat(message.path("initialized").asBoolean()).isFalse();
      assertThat(message.path("preStop").path("status").asText()).isEqualTo("skipped");
      assertThat(rt.fixtureCount("pre_stop")).isZero();
      if (runtime == ContractRuntime.PYTHON) {
        assertThat(message.path("message").asText())
            .isEqualTo("Initializer conformance.initialize failed: RuntimeError: initializer broke");
        assertThat(message.path("initializer").path("error").asText())
            .startsWith("Traceback (most recent call last):").contains("conformance.py", "in initialize");
      } else if (runtime == ContractRuntime.NODEJS) {
        assertThat(message.path("message").asText())
            .isEqualTo("Initializer conformance.initialize failed: Error: initializer broke");
        assertThat(message.path("initializer").path("error").asText())
            .startsWith("Error: initializer broke\n    at ").contains("conformance.js");
      } else {
        assertThat(message.path("message").asText())
            .isEqualTo("Initializer conformance.initialize failed: POST /initialize answered HTTP 500: initializer broke");
        assertThat(message.path("initializer").path("error").asText())
            .isEqualTo("POST /initialize answered HTTP 500: initializer broke");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(ContractRuntime.class)
  void aHangingInitializerTimesOutExitingInitializerTimeout(ContractRuntime runtime) throws Exception {
    long started = System.nanoTime(); // the Initializer starts with the runtime
    try (var instance = started(runtime, "CONF_INIT", "hang", "FC_INITIALIZATION_TIMEOUT", "1")) {
      RuntimeProcess rt = instance.runtime();
      rt.startupExpectingExit(); // held until the runtime cut the Initializer
      assertThat(rt.awaitExit()).isEqualTo(2);
      assertThat((System.nanoTime() - started) / 1_000_000).isBetween(1000L, 4000L);
      String id = id(rt, INIT_START);
      assertThat(rt.lines()).contains("FC Initialize End RequestId: " + id + FAILED);
      assertThat(rt.count(INIT_START)).isEqualTo(1);
      JsonNode message = rt.terminationMessage();
      assertThat(message.path("exitReason").asText()).isEqualTo("InitializerTimeout");
      assertThat(message.path("message").asText())
          .isEqualTo("Initializer conformance.initialize timed out after 1 seconds");
      assertThat(message.path("initializer").path("status").asText()).isEqualTo("timeout");
      assertThat(message.path("initializer").path("durationMs").asLong()).isBetween(1000L, 3000L);
      assertThat(message.path("initializer").path("error").asText())
          .isEqualTo("Initializer conformance.initialize timed out after 1 seconds");
      assertThat(message.path("initialized").asBoolean(true)).isFalse();
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
      JsonNode outcome = RuntimeProcess.JSON.readTree(hook.body());
      assertThat(outcome.path("status").asText()).isEqualTo("succeeded");
      assertThat(outcome.has("error")).isFalse();
      assertThat(rt.get("/ready").statusCode()).isEqualTo(503);
      HttpResponse<String> refused = rt.invoke("echo:late");
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(refused.headers().firstValue("x-fc-error-type")).hasValue("InstanceStopping");
      assertThat(RuntimeProcess.JSON.readTree(rt.get("/pre-stop").body())).as("the same outcome again")
          .isEqualTo(outcome);
      long sent = System.nanoTime();
      rt.sigterm();
      assertThat(rt.awaitExit()).isZero();
      assertThat((System.nanoTime() - sent) / 1_000_000).as("ms to exit, PreStop done").isLessThan(2000L);
      String id = id(rt, PRESTOP_START);
      assertThat(rt.lines()).contains("FC PreStop End RequestId: " + id);
      assertThat(rt.count(PRESTOP_START)).isEqualTo(1);
      assertThat(rt.fixtureLines("pre_stop")).containsExactly(id);
      JsonNode message = rt.terminationMessage();
      assertThat(message.path("exitReason").asText()).isEqualTo("Stopped");
      assertThat(message.path("initializer").path("status").asText()).isEqualTo("succeeded");
      assertThat(message.path("preStop").path("status").asText()).isEqualTo("succeeded");
      assertThat(message.path("preStop").has("error")).isFalse();
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

  /** With two slots, four invocations at once run two at a time: never three, and two do overlap. */
  @ParameterizedTest
  @EnumSource(ContractRuntime.class)
  void twoSlotsRunTwoInvocationsAtATimeAndNoMore(ContractRuntime runtime) throws Exception {
    try (var instance = started(runtime, "FC_INSTANCE_CONCURRENCY", "2", "FC_TIMEOUT", "5")) {
      RuntimeProcess rt = instance.runtime();
      rt.awaitStartup();
      List<CompletableFuture<HttpResponse<String>>> calls = IntStream.range(0, 4)
          .mapToObj(i -> rt.invokeAsync("sleep:0.4", "x-fc-request-id", "two-" + i)).toList();
      assertThat(calls).allSatisfy(c -> {
        assertThat(c.get().body()).isEqualTo("slept");
        assertThat(c.get().headers().firstValue("x-fc-error-type")).isEmpty();
      });
      int inFlight = 0;
      int most = 0;
      for (String line : rt.lines()) {
        if (line.startsWith("FC Invoke Start ")) {
          most = Math.max(most, ++inFlight);
        } else if (line.startsWith("FC Invoke End ")) {
          inFlight--;
        }
      }
      assertThat(most).as("invocations in flight at once, by FC's lines").isEqualTo(2);
    }
  }

  @ParameterizedTest
  @EnumSource(ContractRuntime.class)
  void anInvocationPastTheTimeoutIsAFunctionTimeoutAndRetiresTheInstanceWithPreStop(ContractRuntime runtime)
      throws Exception {
    try (var instance = started(runtime, "FC_TIMEOUT", "1")) {
      RuntimeProcess rt = instance.runtime();
      rt.awaitStartup();
      long sent = System.nanoTime();
      HttpResponse<String> late = rt.invoke("sleep:2", "x-fc-request-id", "req-t");
      assertThat((System.nanoTime() - sent) / 1_000_000).as("ms to the answer").isBetween(1000L, 1900L);
      assertThat(late.statusCode()).isEqualTo(200);
      assertThat(late.headers().firstValue("x-fc-error-type")).hasValue("FunctionTimeout");
      assertThat(RuntimeProcess.JSON.readTree(late.body()).path("errorMessage").asText())
          .isEqualTo("Function timed out after 1 seconds");
      assertThat(rt.awaitExit()).isEqualTo(3);
      assertThat(rt.lines()).contains("FC Invoke End RequestId: req-t" + FAILED);
      assertThat(rt.count(PRESTOP_END)).isEqualTo(1);
      assertThat(rt.fixtureCount("pre_stop")).isEqualTo(1);
      JsonNode message = rt.terminationMessage();
      assertThat(message.path("exitReason").asText()).isEqualTo("InvocationTimeout");
      assertThat(message.path("message").asText()).contains("req-t", "FC_TIMEOUT (1 s)", "retired");
      assertThat(message.path("preStop").path("status").asText()).isEqualTo("succeeded");
    }
  }

  // ---- the startup probe and the termination message ----------------------------------------------

  @ParameterizedTest
  @EnumSource(ContractRuntime.class)
  void aHeldStartupProbeAnswers503WhenTheHoldRunsOutAndLaterOnesAtOnce(ContractRuntime runtime) throws Exception {
    long before = System.nanoTime(); // the hold starts with the runtime, after this
    try (var instance = started(runtime, "CONF_INIT", "hang", "FC_INITIALIZATION_TIMEOUT", "2",
        "FC_STARTUP_PROBE_HOLD", "1")) {
      RuntimeProcess rt = instance.runtime();
      long asked = System.nanoTime();
      HttpResponse<String> held = rt.get("/startup");
      assertThat(held.statusCode()).isEqualTo(503);
      assertThat(held.body()).isEqualTo("initializing\n");
      long answered = System.nanoTime();
      assertThat((answered - before) / 1_000_000).as("ms from the start to the held probe's answer")
          .isGreaterThanOrEqualTo(1000L);
      assertThat((answered - asked) / 1_000_000).as("ms the first probe was held").isLessThan(1900L);
      long again = System.nanoTime();
      assertThat(rt.get("/startup").statusCode()).isEqualTo(503);
      assertThat((System.nanoTime() - again) / 1_000_000).as("ms for a probe after the hold ran out").isLessThan(500);
      assertThat(rt.awaitExit()).as("the runtime still cuts the Initializer at its timeout").isEqualTo(2);
      assertThat(rt.terminationMessage().path("exitReason").asText()).isEqualTo("InitializerTimeout");
    }
  }

  @ParameterizedTest
  @EnumSource(ContractRuntime.class)
  void theMessageCarriesTheColdStartPhasesOnceTheFirstReadinessProbeSucceeded(ContractRuntime runtime)
      throws Exception {
    long before = System.nanoTime();
    try (var instance = started(runtime)) {
      RuntimeProcess rt = instance.runtime();
      rt.awaitStartup();
      long initEnded = System.nanoTime();
      assertThat(rt.terminationMessage().path("coldStart").has("readyAfterInitializerMs"))
          .as("not ready before the first readiness probe").isFalse();
      assertThat(rt.get("/ready").statusCode()).isEqualTo(200);
      long readyAsked = System.nanoTime();
      JsonNode phases = rt.terminationMessage().path("coldStart");
      long sinceStartMs = (initEnded - before) / 1_000_000;
      assertThat(phases.path("initializerStartMs").asLong(-1)).isBetween(0L, sinceStartMs);
      // the fixtures take 300 ms
      assertThat(phases.path("initializerMs").asLong(-1)).isBetween(300L, sinceStartMs);
      assertThat(phases.path("readyAfterInitializerMs").asLong(-1)).isBetween(0L, (readyAsked - before) / 1_000_000);
      JsonNode first = rt.terminationMessage();
      assertThat(rt.get("/ready").statusCode()).isEqualTo(200);
      assertThat(rt.terminationMessage()).as("the first 200 counts, not the later ones").isEqualTo(first);
    }
  }

  @ParameterizedTest
  @EnumSource(ContractRuntime.class)
  void onceInitializedTheMessageSaysSoBeforeTheProbePassesAndSurvivesASigkill(ContractRuntime runtime)
      throws Exception {
    try (var instance = started(runtime)) {
      RuntimeProcess rt = instance.runtime();
      assertThat(rt.terminationLog).as("nothing to say before the Initializer succeeded").doesNotExist();
      rt.awaitStartup();
      JsonNode provisional = rt.terminationMessage();
      assertThat(provisional.has("exitReason")).as("the runtime has not ended").isFalse();
      assertThat(provisional.path("initialized").isBoolean()).isTrue();
      assertThat(provisional.path("initialized").asBoolean()).isTrue();
      assertThat(provisional.path("message").asText()).contains("killed");
      assertThat(provisional.path("initializer").path("status").asText()).isEqualTo("succeeded");
      assertThat(provisional.path("preStop").path("status").asText()).isEqualTo("skipped");
      rt.sigkill(); // as the out-of-memory killer: no chance to write anything
      assertThat(rt.awaitExit()).isEqualTo(137);
      assertThat(rt.terminationMessage()).isEqualTo(provisional);
    }
  }

  @ParameterizedTest
  @EnumSource(ContractRuntime.class)
  void theTerminationMessageIsCappedAt4KiBAndStaysValidJson(ContractRuntime runtime) throws Exception {
    try (var instance = started(runtime, "CONF_INIT", "fail-big")) {
      RuntimeProcess rt = instance.runtime();
      rt.startupExpectingExit();
      assertThat(rt.awaitExit()).isEqualTo(1);
      byte[] raw = Files.readAllBytes(rt.terminationLog);
      assertThat(raw.length).isLessThanOrEqualTo(4096);
      JsonNode msg = rt.terminationMessage();
      assertThat(msg.path("exitReason").asText()).isEqualTo("InitializerFailed");
      assertThat(msg.path("initializer").path("status").asText()).isEqualTo("failed");
      String error = msg.path("initializer").path("error").asText();
      assertThat(error).contains("\u00fc\u00fc\u00fc");
      assertThat(msg.path("message").asText()).startsWith("Initializer conformance.initialize failed: ")
          .hasSizeLessThanOrEqualTo(300);
      if (runtime.runsTheCodeItself()) {
        // the traceback carries the whole 15 KB: cut on whole characters to fill the 4 KiB
        assertThat(raw.length).isBetween(3800, 4096);
        assertThat(error).startsWith(runtime == ContractRuntime.PYTHON ? "Traceback (most recent call last):"
            : "Error: \u00fc\u00fc").endsWith("... [truncated]");
        assertThat(msg.path("message").asText()).startsWith("Initializer conformance.initialize failed: "
            + (runtime == ContractRuntime.PYTHON ? "RuntimeError" : "Error") + ": \u00fc\u00fc");
      } else {
        // the adapter keeps only the start of the server's answer, 300 bytes: the cap is never reached
        assertThat(error).isEqualTo("POST /initialize answered HTTP 500: " + "\u00fc".repeat(150));
        assertThat(msg.path("message").asText())
            .startsWith("Initializer conformance.initialize failed: POST /initialize answered HTTP 500: \u00fc");
      }
    }
  }

  // ---- stopping -------------------------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(ContractRuntime.class)
  void theHookPathAsKubernetes120SendsItWithTwoSlashesRunsPreStop(ContractRuntime runtime) throws Exception {
    try (var instance = started(runtime)) {
      RuntimeProcess rt = instance.runtime();
      rt.awaitStartup();
      HttpResponse<String> hook = rt.get("//pre-stop");
      assertThat(hook.statusCode()).isEqualTo(200);
      assertThat(RuntimeProcess.JSON.readTree(hook.body()).path("status").asText()).isEqualTo("succeeded");
      String id = id(rt, PRESTOP_START);
      assertThat(rt.fixtureLines("pre_stop")).containsExactly(id);
      assertThat(rt.get("//ready?x=1").statusCode()).isEqualTo(503);
    }
  }

  @ParameterizedTest
  @EnumSource(ContractRuntime.class)
  void sigtermAloneDrainsInFlightInvocationsThenRunsPreStop(ContractRuntime runtime) throws Exception {
    try (var instance = started(runtime)) {
      RuntimeProcess rt = instance.runtime();
      rt.awaitStartup();
      CompletableFuture<HttpResponse<String>> inFlight = rt.invokeAsync("sleep:0.5", "x-fc-request-id", "drained-1");
      rt.awaitLine(Pattern.compile("FC Invoke Start RequestId: drained-1"));
      rt.sigterm();
      assertThat(inFlight.get().statusCode()).isEqualTo(200);
      assertThat(inFlight.get().body()).isEqualTo("slept");
      assertThat(inFlight.get().headers().firstValue("x-fc-error-type")).isEmpty();
      assertThat(rt.awaitExit()).isZero();
      List<String> lines = rt.lines();
      int invokeEnd = lines.indexOf("FC Invoke End RequestId: drained-1");
      int preStopStart = rt.awaitLineIndex(PRESTOP_START);
      assertThat(invokeEnd).isNotNegative().isLessThan(preStopStart);
      assertThat(rt.count(PRESTOP_START)).isEqualTo(1);
      assertThat(rt.count(PRESTOP_END)).isEqualTo(1);
      assertThat(rt.fixtureCount("pre_stop")).isEqualTo(1);
      JsonNode msg = rt.terminationMessage();
      assertThat(msg.path("exitReason").asText()).isEqualTo("Stopped");
      assertThat(msg.path("preStop").path("status").asText()).isEqualTo("succeeded");
    }
  }

  @ParameterizedTest
  @EnumSource(ContractRuntime.class)
  void aHangingPreStopIsCutAtItsTimeoutAndReadinessIsFalseMeanwhile(ContractRuntime runtime) throws Exception {
    try (var instance = started(runtime, "CONF_PRESTOP", "hang", "FC_PRESTOP_TIMEOUT", "1")) {
      RuntimeProcess rt = instance.runtime();
      rt.awaitStartup();
      assertThat(rt.get("/ready").statusCode()).isEqualTo(200);
      long started = System.nanoTime();
      CompletableFuture<HttpResponse<String>> hook = rt.getAsync("/pre-stop");
      String id = id(rt, PRESTOP_START);
      rt.await("the fixture's PreStop to be called", () -> fixtureCount(rt, "pre_stop") == 1);
      assertThat(hook).isNotDone();
      assertThat(rt.get("/ready").statusCode()).isEqualTo(503);
      HttpResponse<String> outcome = hook.get();
      long elapsedMs = (System.nanoTime() - started) / 1_000_000;
      assertThat(elapsedMs).isBetween(1000L, 2500L);
      JsonNode body = RuntimeProcess.JSON.readTree(outcome.body());
      assertThat(body.path("status").asText()).isEqualTo("timeout");
      assertThat(body.path("durationMs").asLong()).isBetween(1000L, 2000L);
      assertThat(body.path("error").asText()).isEqualTo("PreStop conformance.pre_stop timed out after 1 seconds");
      assertThat(rt.awaitLine(Pattern.compile("FC PreStop End RequestId: .*")))
          .isEqualTo("FC PreStop End RequestId: " + id + FAILED);

      rt.sigterm();
      assertThat(rt.awaitExit()).isZero();
      assertThat(rt.count(PRESTOP_START)).isEqualTo(1);
      assertThat(rt.fixtureCount("pre_stop")).isEqualTo(1);
      JsonNode msg = rt.terminationMessage();
      assertThat(msg.path("exitReason").asText()).isEqualTo("Stopped");
      assertThat(msg.path("preStop").path("status").asText()).isEqualTo("timeout");
    }
  }

  @ParameterizedTest
  @EnumSource(ContractRuntime.class)
  void aKillDuringPreStopLeavesAMessageSayingItWasInterrupted(ContractRuntime runtime) throws Exception {
    try (var instance = started(runtime, "CONF_PRESTOP", "hang", "FC_PRESTOP_TIMEOUT", "60")) {
      RuntimeProcess rt = instance.runtime();
      rt.awaitStartup();
      rt.getAsync("/pre-stop");
      rt.awaitLine(PRESTOP_START);
      rt.await("the message to say PreStop runs", () -> {
        try {
          return rt.terminationMessage().path("preStop").path("status").asText().equals("interrupted");
        } catch (IOException notYet) {
          return false;
        }
      });
      rt.sigkill(); // the grace period ran out
      assertThat(rt.awaitExit()).isEqualTo(137);
      JsonNode msg = rt.terminationMessage();
      assertThat(msg.has("exitReason")).isFalse();
      assertThat(msg.path("initialized").asBoolean(false)).isTrue();
      assertThat(msg.path("initializer").path("status").asText()).isEqualTo("succeeded");
      assertThat(msg.path("preStop").path("status").asText()).isEqualTo("interrupted");
      assertThat(msg.path("preStop").has("durationMs")).as("a provisional entry has no duration").isFalse();
    }
  }

  @ParameterizedTest
  @EnumSource(ContractRuntime.class)
  void preStopIsSkippedWhenTheInitializerNeverSucceeded(ContractRuntime runtime) throws Exception {
    try (var instance = started(runtime, "CONF_INIT", "hang", "FC_INITIALIZATION_TIMEOUT", "30")) {
      RuntimeProcess rt = instance.runtime();
      rt.awaitLine(INIT_START);
      rt.sigterm(); // while the Initializer runs
      assertThat(rt.awaitExit()).isZero();
      assertThat(rt.lines()).noneMatch(l -> l.startsWith("FC PreStop"));
      assertThat(rt.fixtureCount("pre_stop")).isZero();
      JsonNode msg = rt.terminationMessage();
      assertThat(msg.path("exitReason").asText()).isEqualTo("Stopped");
      assertThat(msg.path("initializer").path("status").asText()).isEqualTo("interrupted");
      assertThat(msg.path("initializer").path("durationMs").isInt()).as("the time it ran until then").isTrue();
      assertThat(msg.path("preStop").path("status").asText()).isEqualTo("skipped");
      assertThat(msg.path("initialized").asBoolean(true)).isFalse();
    }
  }

  private static long fixtureCount(RuntimeProcess rt, String name) {
    try {
      return rt.fixtureCount(name);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  // ---- invocations, the lifecycle secret, FC's lines, HTTP ------------------------------------------

  @ParameterizedTest
  @EnumSource(ContractRuntime.class)
  void anInvocationWaitingLongerThanTheTimeoutForASlotGets429(ContractRuntime runtime) throws Exception {
    try (var instance = started(runtime, "FC_INSTANCE_CONCURRENCY", "1", "FC_TIMEOUT", "2")) {
      RuntimeProcess rt = instance.runtime();
      rt.awaitStartup();
      // one runs 1.2 s, the next waits 1.2 s then runs 1.2 s; the third cannot start within 2 s
      long started = System.nanoTime();
      List<CompletableFuture<HttpResponse<String>>> calls =
          IntStream.range(0, 3).mapToObj(i -> rt.invokeAsync("sleep:1.2")).toList();
      List<Integer> statuses = new ArrayList<>();
      for (CompletableFuture<HttpResponse<String>> c : calls) {
        HttpResponse<String> r = c.get();
        statuses.add(r.statusCode());
        if (r.statusCode() == 429) {
          assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(1900L);
          assertThat(r.headers().firstValue("x-fc-error-type")).hasValue("ConcurrencyLimitExceeded");
          assertThat(RuntimeProcess.JSON.readTree(r.body()).path("errorType").asText())
              .isEqualTo("ConcurrencyLimitExceeded");
        } else {
          assertThat(r.body()).isEqualTo("slept");
        }
      }
      assertThat(statuses).containsExactlyInAnyOrder(200, 200, 429);
      assertThat(rt.count(Pattern.compile("FC Invoke Start RequestId: .*"))).isEqualTo(2);
      assertThat(rt.fixtureCount("invoke")).as("the refused one never reached the code").isEqualTo(2);
    }
  }

  /** A request on the lifecycle port: a path with or without a query, and headers. */
  record Attempt(String description, String path, List<String> headers) {
    @Override
    public String toString() {
      return description;
    }
  }

  static List<Attempt> forgedAttempts() {
    String header = LifecycleEndpoints.TOKEN_HEADER;
    String token = RuntimeProcess.TOKEN;
    List<Attempt> attempts = new ArrayList<>();
    for (String path : List.of("/startup", "/ready", "/pre-stop", "//pre-stop", "/unknown")) {
      attempts.add(new Attempt(path + " without a token", path, List.of()));
      attempts.add(new Attempt(path + " with a wrong token", path, List.of(header, "x".repeat(token.length()))));
      attempts.add(new Attempt(path + " with the token in other case", path, List.of(header, token.toLowerCase())));
      attempts.add(new Attempt(path + " with the token and more", path, List.of(header, token + "x")));
      attempts.add(new Attempt(path + " with the token cut short", path, List.of(header, token.substring(1))));
      attempts.add(new Attempt(path + " with the right and a wrong header", path,
          List.of(header, token, header, "wrong")));
      attempts.add(new Attempt(path + " with the right header and a wrong query", path + "?token=wrong",
          List.of(header, token)));
      attempts.add(new Attempt(path + " with an empty query token", path + "?token=", List.of()));
      attempts.add(new Attempt(path + " with the token in another query parameter", path + "?secret=" + token,
          List.of()));
      attempts.add(new Attempt(path + " with the token under another header", path, List.of("X-Token", token)));
      attempts.add(new Attempt(path + " with the template's placeholder", path,
          List.of(header, LifecycleEndpoints.TOKEN_PLACEHOLDER)));
    }
    return attempts;
  }

  /**
   * The lifecycle port answers only requests that carry the pod's secret (docs/runtime-contract.md, "Threat
   * model"): anything else is refused with 403 before the path is looked at, and changes nothing; the kubelet's
   * requests (the probes' header, the preStop hook's query, as kubelet 1.20 sends it without headers) work.
   */
  @ParameterizedTest
  @EnumSource(ContractRuntime.class)
  void everyLifecycleRequestWithoutTheSecretIsRefusedAndChangesNothing(ContractRuntime runtime) throws Exception {
    try (var instance = started(runtime)) {
      RuntimeProcess rt = instance.runtime();
      rt.awaitLine(INIT_END);
      List<Attempt> attempts = forgedAttempts();
      assertThat(attempts).hasSize(55);
      for (Attempt attempt : attempts) {
        HttpRequest.Builder request = rt.request(rt.lifecyclePort, attempt.path()).GET();
        for (int i = 0; i < attempt.headers().size(); i += 2) {
          request.header(attempt.headers().get(i), attempt.headers().get(i + 1));
        }
        HttpResponse<String> answer = rt.send(request.build());
        assertThat(answer.statusCode()).as(attempt.description()).isEqualTo(403);
        assertThat(answer.body()).as(attempt.description())
            .isEqualTo("forbidden: the lifecycle port answers only the kubelet, whose requests carry the pod's "
                + "secret (header X-Fc-Lifecycle-Token)\n");
      }
      assertThat(rt.fixtureCount("pre_stop")).as("PreStop did not run").isZero();
      assertThat(rt.lines()).noneMatch(l -> l.startsWith("FC PreStop"));
      assertThat(rt.invoke("echo:still").body()).as("invocations are still taken").isEqualTo("still");
      assertThat(rt.terminationMessage().path("coldStart").has("readyAfterInitializerMs"))
          .as("no refused /ready counted as the kubelet's first").isFalse();

      // the kubelet's requests: the probes with the header, the preStop hook as kubelet 1.20 sends it
      assertThat(rt.get("/startup").statusCode()).isEqualTo(200);
      assertThat(rt.get("/ready").statusCode()).isEqualTo(200);
      HttpResponse<String> hook =
          rt.send(rt.request(rt.lifecyclePort, "//pre-stop?token=" + RuntimeProcess.TOKEN).GET().build());
      assertThat(hook.statusCode()).isEqualTo(200);
      assertThat(RuntimeProcess.JSON.readTree(hook.body()).path("status").asText()).isEqualTo("succeeded");
      assertThat(rt.fixtureCount("pre_stop")).isEqualTo(1);
      HttpResponse<String> both = rt.send(rt.request(rt.lifecyclePort, "/pre-stop?token=" + RuntimeProcess.TOKEN)
          .header(LifecycleEndpoints.TOKEN_HEADER, RuntimeProcess.TOKEN).GET().build());
      assertThat(both.statusCode()).as("as newer kubelets send it: header and query").isEqualTo(200);
      assertThat(rt.fixtureCount("pre_stop")).as("PreStop once").isEqualTo(1);
    }
  }

  /**
   * FC's lines, exactly and in order, each hook's and invocation's request id in its Start and End line and in the
   * call. The user's own output differs by runtime: the Python runtime's stdout carries the code's lines between
   * the markers; a custom runtime's server writes to its own container's output, so the adapter's has FC's lines
   * alone.
   */
  @ParameterizedTest
  @EnumSource(ContractRuntime.class)
  void hooksAndInvocationsPrintFcLinesExactly(ContractRuntime runtime) throws Exception {
    String rid = "1-65e59b07-1520da26-bf73bbb91b69";
    try (var instance = started(runtime)) {
      RuntimeProcess rt = instance.runtime();
      rt.awaitStartup();
      assertThat(rt.invoke("echo:event-1", "x-fc-request-id", rid).body()).isEqualTo("event-1");
      rt.sigterm();
      assertThat(rt.awaitExit()).isZero();

      String init = id(rt, INIT_START);
      String stop = id(rt, PRESTOP_START);
      assertThat(init).matches(RuntimeProcess.UUID);
      assertThat(stop).matches(RuntimeProcess.UUID).isNotEqualTo(init);
      List<String> fcLines = List.of(
          "FC Initialize Start RequestId: " + init, "FC Initialize End RequestId: " + init,
          "FC Invoke Start RequestId: " + rid, "FC Invoke End RequestId: " + rid,
          "FC PreStop Start RequestId: " + stop, "FC PreStop End RequestId: " + stop);
      List<String> userLines = List.of(init + " initializer", rid + " invoke", stop + " pre_stop");
      if (runtime.runsTheCodeItself()) {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          expected.add(fcLines.get(2 * i));
          expected.add(userLines.get(i));
          expected.add(fcLines.get(2 * i + 1));
        }
        assertThat(rt.lines()).containsExactlyElementsOf(expected);
      } else {
        assertThat(rt.lines()).containsExactlyElementsOf(fcLines);
        rt.await("the server's three lines", () -> instance.serverLines().size() >= 3);
        assertThat(instance.serverLines()).containsExactlyElementsOf(userLines);
      }
    }
  }

  /**
   * Malformed and oversized requests on both ports (the cases of {@link RuntimeHttpHardeningTest}, which tries the
   * rest against the Python runtime alone): the invocation port refuses with FC's error body, the lifecycle port
   * with a line of text; each closes the connection, and no refused request reaches the code or prints a line.
   */
  @ParameterizedTest
  @EnumSource(ContractRuntime.class)
  void malformedRequestsAreRefusedOnBothPortsAndReachNoCode(ContractRuntime runtime) throws Exception {
    try (var instance = started(runtime, "FC_HTTP_READ_TIMEOUT", "1")) {
      RuntimeProcess rt = instance.runtime();
      rt.awaitStartup();
      int linesBefore = rt.lines().size();
      List<RuntimeHttpHardeningTest.Bad> invocations = RuntimeHttpHardeningTest.malformedInvocations()
          .filter(bad -> !runtime.malformedRequestsTaken().contains(bad.what())).toList();
      assertThat(invocations).hasSizeGreaterThan(70);
      for (RuntimeHttpHardeningTest.Bad bad : invocations) {
        RuntimeHttpHardeningTest.Answer a = refusal(rt.invokePort, bad);
        assertThat(a.header("content-type")).as(bad.what()).isEqualTo("application/json");
        String type = RuntimeHttpHardeningTest.ERROR_TYPES.get(bad.status());
        assertThat(a.header("x-fc-error-type")).as(bad.what()).isEqualTo(type);
        JsonNode body = a.json();
        assertThat(body.path("errorType").asText()).as(bad.what()).isEqualTo(type);
        assertThat(body.path("errorMessage").asText()).as(bad.what()).isNotBlank().hasSizeLessThan(200);
        assertThat(body.path("stackTrace").isArray()).as(bad.what()).isTrue();
        assertThat(body.path("stackTrace")).as(bad.what()).isEmpty();
      }
      for (RuntimeHttpHardeningTest.Bad bad : RuntimeHttpHardeningTest.malformedProbes().toList()) {
        RuntimeHttpHardeningTest.Answer a = refusal(rt.lifecyclePort, bad);
        assertThat(a.header("content-type")).as(bad.what()).isEqualTo("text/plain; charset=utf-8");
        assertThat(a.header("x-fc-error-type")).as(bad.what()).isNull();
        assertThat(a.text()).as(bad.what()).endsWith("\n").hasSizeLessThan(200);
        assertThat(a.text().strip()).as(bad.what()).isNotEmpty().doesNotContain("\n");
      }
      assertThat(rt.get("/ready").statusCode()).isEqualTo(200);
      assertThat(rt.invoke("echo:after", "x-fc-request-id", "after").body()).isEqualTo("after");
      rt.awaitLine(Pattern.compile("FC Invoke End RequestId: after"));
      List<String> lines = rt.lines();
      assertThat(lines.subList(linesBefore, lines.size())).as("nothing printed but the last invocation's")
          .containsExactlyElementsOf(runtime.runsTheCodeItself()
              ? List.of("FC Invoke Start RequestId: after", "after invoke", "FC Invoke End RequestId: after")
              : List.of("FC Invoke Start RequestId: after", "FC Invoke End RequestId: after"));
      assertThat(rt.fixtureLines("invoke")).containsExactly("after");
    }
  }

  private static RuntimeHttpHardeningTest.Answer refusal(int port, RuntimeHttpHardeningTest.Bad bad)
      throws Exception {
    try (var c = new RuntimeHttpHardeningTest.Client(port)) {
      c.offer(bad.request());
      if (bad.endInput()) {
        c.endInput();
      }
      RuntimeHttpHardeningTest.Answer a = c.answer();
      assertThat(a.status()).as(bad.what() + ": " + a.statusLine()).isEqualTo(bad.status());
      assertThat(a.header("connection")).as(bad.what()).isEqualTo("close");
      assertThat(a.body().length).as(bad.what()).isLessThan(400);
      assertThat(c.closedByServer()).as(bad.what() + ": connection closed after the refusal").isTrue();
      return a;
    }
  }

  static Stream<Arguments> unusableSecrets() {
    return Stream.of(ContractRuntime.values()).flatMap(runtime -> Stream.of("", "short-token",
        LifecycleEndpoints.TOKEN_PLACEHOLDER, "a token with spaces in it that is long enough",
        "tok\u00e9n-with-a-letter-outside-base64url-xxxxxxxx").map(token -> Arguments.of(runtime, token)));
  }

  /** Without a usable secret the lifecycle port would be open to anyone: no runtime starts, and none prints it. */
  @ParameterizedTest(name = "{0} FC_LIFECYCLE_TOKEN=\"{1}\"")
  @MethodSource("unusableSecrets")
  void noRuntimeStartsWithoutAUsableSecret(ContractRuntime runtime, String token) throws Exception {
    try (var instance = started(runtime, "FC_LIFECYCLE_TOKEN", token)) { // "": not set at all
      RuntimeProcess rt = instance.runtime();
      assertThat(rt.awaitExit()).isEqualTo(4);
      JsonNode msg = rt.terminationMessage();
      assertThat(msg.path("exitReason").asText()).isEqualTo("RuntimeFailed");
      String message = msg.path("message").asText();
      assertThat(message).startsWith("bad configuration: FC_LIFECYCLE_TOKEN ");
      if (token.equals(LifecycleEndpoints.TOKEN_PLACEHOLDER)) {
        assertThat(message).contains("placeholder", "issues each pod a secret of its own");
      } else {
        assertThat(message).as("a secret is never printed").contains("32 to 256 characters")
            .doesNotContain(token.isEmpty() ? "\u0000" : token);
      }
    }
  }
}
