package dev.fc.operator.runtime;

import static dev.fc.operator.runtime.RuntimeProcess.env;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What is Python's about the Initializer and the code's load: a traceback for an exception, a missing function or
 * file, a syntax error, each reported with the user's file and line. The Initializer's contract (once, held probes,
 * timeout, failure, the termination message) is {@link ContractConformanceTest}'s, against every runtime.
 */
class RuntimeInitializerTest {

  static final Pattern INIT_START = Pattern.compile("FC Initialize Start RequestId: \\S+");
  static final Pattern INIT_END_ERROR =
      Pattern.compile("FC Initialize End RequestId: \\S+, Error: Unhandled function error");

  @TempDir Path tmp;

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
