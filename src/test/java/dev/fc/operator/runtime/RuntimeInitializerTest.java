package dev.fc.operator.runtime;

import static dev.fc.operator.runtime.RuntimeProcess.env;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuntimeInitializerTest {

  static final Pattern INIT_START = Pattern.compile("FC Initialize Start RequestId: \\S+");
  static final Pattern INIT_END_ERROR =
      Pattern.compile("FC Initialize End RequestId: \\S+, Error: Unhandled function error");

  @TempDir Path tmp;

  @Test
  void initializerStartsWhenTheRuntimeHasLoadedWithoutWaitingForAProbe() throws Exception {
    try (RuntimeProcess rt =
        RuntimeProcess.start(
            tmp, env("FC_FUNCTION_HANDLER", "handlers.by_type", "FC_INITIALIZER_HANDLER", "hooks.init_ok"))) {
      rt.await("the Initializer to end with no probe sent",
          () -> rt.count(Pattern.compile("FC Initialize End RequestId: \\S+")) == 1);
      assertThat(rt.fixtureCount("initializer")).isEqualTo(1);
      long asked = System.nanoTime();
      assertThat(rt.get("/startup").statusCode()).isEqualTo(200);
      assertThat((System.nanoTime() - asked) / 1_000_000).as("ms for /startup after success").isLessThan(1000);
      assertThat(rt.get("/ready").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void initializerRunsExactlyOnceAndConcurrentProbesAreHeldUntilItSucceeds() throws Exception {
    try (RuntimeProcess rt =
        RuntimeProcess.start(
            tmp, env("FC_FUNCTION_HANDLER", "handlers.by_type", "FC_INITIALIZER_HANDLER", "hooks.init_ok"))) {
      List<CompletableFuture<HttpResponse<String>>> probes = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        probes.add(rt.getAsync("/startup"));
      }
      for (CompletableFuture<HttpResponse<String>> p : probes) {
        // the fixture takes 300 ms: probes sent while it runs are held, not answered 503
        assertThat(p.get().statusCode()).isEqualTo(200);
      }
      assertThat(rt.fixtureCount("initializer")).isEqualTo(1);
      assertThat(rt.count(INIT_START)).isEqualTo(1);
      assertThat(rt.count(Pattern.compile("FC Initialize End RequestId: \\S+"))).isEqualTo(1);
      for (int i = 0; i < 20; i++) {
        probes.set(i, rt.getAsync("/startup"));
      }
      for (CompletableFuture<HttpResponse<String>> p : probes) {
        assertThat(p.get().statusCode()).isEqualTo(200);
      }
      assertThat(rt.get("/ready").statusCode()).isEqualTo(200);
      assertThat(rt.fixtureCount("initializer")).isEqualTo(1);
    }
  }

  @Test
  void withoutInitializerStartupSucceedsOnceCodeIsLoaded() throws Exception {
    try (RuntimeProcess rt = RuntimeProcess.start(tmp, env("FC_FUNCTION_HANDLER", "handlers.by_type"))) {
      rt.awaitStartup();
      assertThat(rt.get("/ready").statusCode()).isEqualTo(200);
      assertThat(rt.invoke("str").body()).isEqualTo("hello é");
      assertThat(rt.lines()).noneMatch(l -> l.startsWith("FC Initialize"));
    }
  }

  @Test
  void withoutInitializerLoadedCodeCountsAsInitializedInTheMessage() throws Exception {
    try (RuntimeProcess rt = RuntimeProcess.start(tmp, env("FC_FUNCTION_HANDLER", "handlers.by_type"))) {
      rt.awaitStartup();
      JsonNode provisional = rt.terminationMessage();
      assertThat(provisional.has("exitReason")).isFalse();
      assertThat(provisional.path("initialized").asBoolean(false)).isTrue();
      assertThat(provisional.has("initializer")).isFalse();
      rt.sigterm();
      assertThat(rt.awaitExit()).isZero();
      JsonNode last = rt.terminationMessage();
      assertThat(last.path("exitReason").asText()).isEqualTo("Stopped");
      assertThat(last.path("initialized").asBoolean(false)).isTrue();
    }
  }

  @Test
  void initializerRaisingFailsTheInstance() throws Exception {
    try (RuntimeProcess rt =
        RuntimeProcess.start(
            tmp, env("FC_FUNCTION_HANDLER", "handlers.by_type", "FC_INITIALIZER_HANDLER", "hooks.init_raises",
                "FC_PRESTOP_HANDLER", "hooks.pre_stop_ok"))) {
      rt.startupExpectingExit();
      assertThat(rt.awaitExit()).isEqualTo(1);
      assertThat(rt.count(INIT_START)).isEqualTo(1);
      assertThat(rt.count(INIT_END_ERROR)).isEqualTo(1);
      assertThat(rt.lines())
          .anyMatch(l -> l.matches("\\S+ \\S+ " + RuntimeProcess.UUID + " \\[error\\] Traceback .*"))
          .contains("ValueError: initializer broke");
      JsonNode msg = rt.terminationMessage();
      assertThat(msg.path("exitReason").asText()).isEqualTo("InitializerFailed");
      assertThat(msg.path("message").asText())
          .isEqualTo("Initializer hooks.init_raises failed: ValueError: initializer broke");
      assertThat(msg.path("initializer").path("status").asText()).isEqualTo("failed");
      assertThat(msg.path("initializer").path("durationMs").isInt()).isTrue();
      assertThat(msg.path("initializer").path("error").asText())
          .contains("hooks.py", "in init_raises", "ValueError: initializer broke");
      assertThat(msg.path("preStop").path("status").asText()).isEqualTo("skipped");
      assertThat(rt.fixtureCount("pre_stop")).isZero();
      assertThat(msg.path("initialized").isBoolean()).isTrue();
      assertThat(msg.path("initialized").asBoolean()).as("the Initializer failed").isFalse();
    }
  }

  @Test
  void initializerHangingPastItsTimeoutIsCutAndExitsTwo() throws Exception {
    long started = System.nanoTime(); // the Initializer starts with the runtime
    try (RuntimeProcess rt =
        RuntimeProcess.start(
            tmp, env("FC_FUNCTION_HANDLER", "handlers.by_type", "FC_INITIALIZER_HANDLER", "hooks.init_hangs",
                "FC_INITIALIZATION_TIMEOUT", "1"))) {
      rt.startupExpectingExit(); // held until the runtime cut the Initializer
      assertThat(rt.awaitExit()).isEqualTo(2);
      long elapsedMs = (System.nanoTime() - started) / 1_000_000;
      assertThat(elapsedMs).isBetween(1000L, 4000L);
      assertThat(rt.count(INIT_START)).isEqualTo(1);
      assertThat(rt.count(INIT_END_ERROR)).isEqualTo(1);
      JsonNode msg = rt.terminationMessage();
      assertThat(msg.path("exitReason").asText()).isEqualTo("InitializerTimeout");
      assertThat(msg.path("initializer").path("status").asText()).isEqualTo("timeout");
      assertThat(msg.path("initializer").path("durationMs").asLong()).isBetween(1000L, 3000L);
      assertThat(msg.path("initializer").path("error").asText())
          .isEqualTo("Initializer hooks.init_hangs timed out after 1 seconds");
    }
  }

  @Test
  void initializerNamingAMissingFunctionIsALoadFailure() throws Exception {
    try (RuntimeProcess rt =
        RuntimeProcess.start(
            tmp, env("FC_FUNCTION_HANDLER", "handlers.by_type", "FC_INITIALIZER_HANDLER", "hooks.no_such"))) {
      rt.startupExpectingExit();
      assertThat(rt.awaitExit()).isEqualTo(1);
      assertThat(rt.count(INIT_END_ERROR)).isEqualTo(1);
      JsonNode msg = rt.terminationMessage();
      assertThat(msg.path("exitReason").asText()).isEqualTo("InitializerFailed");
      assertThat(msg.path("initializer").path("status").asText()).isEqualTo("failed");
      assertThat(msg.path("initializer").path("error").asText())
          .isEqualTo("Initializer \"hooks.no_such\": " + rt.out.getParent().resolve("code/hooks.py")
              + " has no function \"no_such\"");
      assertThat(rt.lines()).anyMatch(l -> l.endsWith("[error] Initializer \"hooks.no_such\": "
          + rt.out.getParent().resolve("code/hooks.py") + " has no function \"no_such\""));
    }
  }

  @Test
  void syntaxErrorInTheCodeIsReportedWithFileAndLine() throws Exception {
    try (RuntimeProcess rt =
        RuntimeProcess.start(
            tmp, env("FC_FUNCTION_HANDLER", "handlers.by_type",
                "FC_INITIALIZER_HANDLER", "broken_syntax.initialize"))) {
      rt.startupExpectingExit();
      assertThat(rt.awaitExit()).isEqualTo(1);
      assertThat(rt.count(INIT_END_ERROR)).isEqualTo(1);
      JsonNode msg = rt.terminationMessage();
      assertThat(msg.path("exitReason").asText()).isEqualTo("InitializerFailed");
      assertThat(msg.path("initializer").path("error").asText())
          .startsWith("Initializer \"broken_syntax.initialize\": " + rt.code.resolve("broken_syntax.py")
              + " line 4: SyntaxError: ")
          .doesNotContain("importlib");
    }
  }

  @Test
  void missingHandlerFileWithoutInitializerIsReportedAtTopLevel() throws Exception {
    try (RuntimeProcess rt = RuntimeProcess.start(tmp, env("FC_FUNCTION_HANDLER", "nofile.handler"))) {
      rt.startupExpectingExit();
      assertThat(rt.awaitExit()).isEqualTo(1);
      assertThat(rt.lines()).noneMatch(l -> l.startsWith("FC Initialize"))
          .anyMatch(l -> l.contains("[error] Handler \"nofile.handler\": file "));
      JsonNode msg = rt.terminationMessage();
      assertThat(msg.path("exitReason").asText()).isEqualTo("InitializerFailed");
      assertThat(msg.has("initializer")).isFalse();
      assertThat(msg.path("initialized").asBoolean(true)).as("the code did not load").isFalse();
      assertThat(msg.path("error").asText())
          .startsWith("Handler \"nofile.handler\": file " + rt.out.getParent().resolve("code/nofile.py")
              + " not found");
    }
  }
}
