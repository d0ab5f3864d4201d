package dev.fc.operator.runtime;

import static dev.fc.operator.runtime.RuntimeProcess.env;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuntimePreStopTest {

  static final Pattern PRESTOP_START = Pattern.compile("FC PreStop Start RequestId: " + RuntimeProcess.UUID);
  static final Pattern PRESTOP_END = Pattern.compile("FC PreStop End RequestId: " + RuntimeProcess.UUID);

  @TempDir Path tmp;

  private RuntimeProcess started(String preStop, String... more) throws Exception {
    java.util.Map<String, String> env =
        env("FC_FUNCTION_HANDLER", "handlers.hold", "FC_INITIALIZER_HANDLER", "handlers.initialize",
            "FC_PRESTOP_HANDLER", preStop, "FC_PRESTOP_TIMEOUT", "1");
    env.putAll(env(more));
    RuntimeProcess rt = RuntimeProcess.start(tmp, env);
    rt.awaitStartup();
    return rt;
  }

  @Test
  void theHookPathAsKubernetes120SendsItWithTwoSlashesRunsPreStop() throws Exception {
    try (RuntimeProcess rt = started("hooks.pre_stop_ok")) {
      HttpResponse<String> hook = rt.get("//pre-stop");
      assertThat(hook.statusCode()).isEqualTo(200);
      assertThat(RuntimeProcess.JSON.readTree(hook.body()).path("status").asText()).isEqualTo("succeeded");
      rt.awaitLine(PRESTOP_START);
      assertThat(rt.get("//ready?x=1").statusCode()).isEqualTo(503);
    }
  }

  @Test
  void preStopThroughTheHookThenSigtermRunsItOnce() throws Exception {
    try (RuntimeProcess rt = started("hooks.pre_stop_ok")) {
      HttpResponse<String> first = rt.get("/pre-stop");
      assertThat(first.statusCode()).isEqualTo(200);
      JsonNode outcome = RuntimeProcess.JSON.readTree(first.body());
      assertThat(outcome.path("status").asText()).isEqualTo("succeeded");
      assertThat(rt.get("/ready").statusCode()).isEqualTo(503);
      HttpResponse<String> refused = rt.invoke("0");
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(refused.headers().firstValue("x-fc-error-type")).hasValue("InstanceStopping");
      HttpResponse<String> second = rt.get("/pre-stop");
      assertThat(RuntimeProcess.JSON.readTree(second.body())).isEqualTo(outcome);

      long sent = System.nanoTime();
      rt.sigterm();
      assertThat(rt.awaitExit()).isZero();
      assertThat((System.nanoTime() - sent) / 1_000_000).isLessThan(2000L);
      assertThat(rt.count(PRESTOP_START)).isEqualTo(1);
      assertThat(rt.count(PRESTOP_END)).isEqualTo(1);
      assertThat(rt.fixtureCount("pre_stop")).isEqualTo(1);
      JsonNode msg = rt.terminationMessage();
      assertThat(msg.path("exitReason").asText()).isEqualTo("Stopped");
      assertThat(msg.path("initializer").path("status").asText()).isEqualTo("succeeded");
      assertThat(msg.path("preStop").path("status").asText()).isEqualTo("succeeded");
      assertThat(msg.path("preStop").has("error")).isFalse();
    }
  }

  @Test
  void sigtermAloneDrainsInFlightInvocationsThenRunsPreStop() throws Exception {
    try (RuntimeProcess rt = started("hooks.pre_stop_ok")) {
      CompletableFuture<HttpResponse<String>> inFlight = rt.invokeAsync("0.5", "x-fc-request-id", "drained-1");
      rt.awaitLine(Pattern.compile("FC Invoke Start RequestId: drained-1"));
      rt.sigterm();
      assertThat(inFlight.get().statusCode()).isEqualTo(200);
      assertThat(inFlight.get().headers().firstValue("x-fc-error-type")).isEmpty();
      assertThat(rt.awaitExit()).isZero();
      List<String> lines = rt.lines();
      int invokeEnd = lines.indexOf("FC Invoke End RequestId: drained-1");
      int preStopStart = lines.indexOf(rt.awaitLine(PRESTOP_START));
      assertThat(invokeEnd).isNotNegative().isLessThan(preStopStart);
      assertThat(rt.count(PRESTOP_START)).isEqualTo(1);
      assertThat(rt.count(PRESTOP_END)).isEqualTo(1);
      JsonNode msg = rt.terminationMessage();
      assertThat(msg.path("exitReason").asText()).isEqualTo("Stopped");
      assertThat(msg.path("preStop").path("status").asText()).isEqualTo("succeeded");
    }
  }

  @Test
  void hangingPreStopIsCutAtItsTimeoutAndReadinessIsFalseMeanwhile() throws Exception {
    try (RuntimeProcess rt = started("hooks.pre_stop_hangs")) {
      assertThat(rt.get("/ready").statusCode()).isEqualTo(200);
      long started = System.nanoTime();
      CompletableFuture<HttpResponse<String>> hook = rt.getAsync("/pre-stop");
      rt.awaitLine(PRESTOP_START);
      assertThat(hook).isNotDone();
      assertThat(rt.get("/ready").statusCode()).isEqualTo(503);
      HttpResponse<String> outcome = hook.get();
      long elapsedMs = (System.nanoTime() - started) / 1_000_000;
      assertThat(elapsedMs).isBetween(1000L, 2500L);
      JsonNode body = RuntimeProcess.JSON.readTree(outcome.body());
      assertThat(body.path("status").asText()).isEqualTo("timeout");
      assertThat(body.path("durationMs").asLong()).isBetween(1000L, 2000L);
      assertThat(body.path("error").asText()).isEqualTo("PreStop hooks.pre_stop_hangs timed out after 1 seconds");
      assertThat(rt.count(Pattern.compile(PRESTOP_END.pattern() + ", Error: Unhandled function error")))
          .isEqualTo(1);

      rt.sigterm();
      assertThat(rt.awaitExit()).isZero();
      assertThat(rt.count(PRESTOP_START)).isEqualTo(1);
      JsonNode msg = rt.terminationMessage();
      assertThat(msg.path("exitReason").asText()).isEqualTo("Stopped");
      assertThat(msg.path("preStop").path("status").asText()).isEqualTo("timeout");
    }
  }

  @Test
  void aKillDuringPreStopLeavesAMessageSayingItWasInterrupted() throws Exception {
    try (RuntimeProcess rt = started("hooks.pre_stop_hangs", "FC_PRESTOP_TIMEOUT", "60")) {
      rt.getAsync("/pre-stop");
      rt.awaitLine(PRESTOP_START);
      rt.await("the message to say PreStop runs", () -> {
        try {
          return rt.terminationMessage().path("preStop").path("status").asText().equals("interrupted");
        } catch (java.io.IOException notYet) {
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
    }
  }

  @Test
  void preStopIsSkippedWhenTheInitializerNeverSucceeded() throws Exception {
    try (RuntimeProcess rt =
        RuntimeProcess.start(tmp, env("FC_FUNCTION_HANDLER", "handlers.hold",
            "FC_INITIALIZER_HANDLER", "hooks.init_hangs", "FC_INITIALIZATION_TIMEOUT", "30",
            "FC_PRESTOP_HANDLER", "hooks.pre_stop_ok"))) {
      rt.awaitLine(RuntimeInitializerTest.INIT_START);
      rt.sigterm(); // while the Initializer runs
      assertThat(rt.awaitExit()).isZero();
      assertThat(rt.lines()).noneMatch(l -> l.startsWith("FC PreStop"));
      assertThat(rt.fixtureCount("pre_stop")).isZero();
      JsonNode msg = rt.terminationMessage();
      assertThat(msg.path("exitReason").asText()).isEqualTo("Stopped");
      assertThat(msg.path("initializer").path("status").asText()).isEqualTo("interrupted");
      assertThat(msg.path("preStop").path("status").asText()).isEqualTo("skipped");
      assertThat(msg.path("initialized").asBoolean(true)).isFalse();
    }
  }
}
