package dev.fc.operator.runtime;

import static dev.fc.operator.runtime.RuntimeProcess.env;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What is the Node.js runtime's own (src/main/resources/fc-runtime-node; the contract it shares with the Python
 * runtime is {@link ContractConformanceTest}'s): loading CommonJS and ES modules, FC's callback and promise styles,
 * load errors, the context and its logger, the HTTP handler, the result encodings, NODE_PATH, the secret's absence
 * from the user's environment, errors escaping the user's code. Fixtures: src/test/resources/runtime-fixtures-node.
 */
class NodeRuntimeTest {
  static final Path FIXTURES = Path.of("src/test/resources/runtime-fixtures-node");
  static final String FAILED = ", Error: Unhandled function error";
  static final Pattern INIT_START = Pattern.compile("FC Initialize Start RequestId: (\\S+)");

  @TempDir Path tmp;
  /** The folder of the runtime started last (each start has its own). */
  private Path run;
  private int runs;

  /** The Node.js runtime with the Node fixtures (and extra files) in its code folder. */
  private RuntimeProcess start(Map<String, String> env, Map<String, String> extra) throws IOException {
    run = tmp.resolve("run" + runs++);
    Map<String, String> files = new HashMap<>();
    try (Stream<Path> all = Files.walk(FIXTURES)) {
      for (Path f : all.filter(Files::isRegularFile).toList()) {
        files.put(FIXTURES.relativize(f).toString(), Files.readString(f));
      }
    }
    files.putAll(extra);
    return RuntimeProcess.start(run, env, files, RuntimeProcess.nodeCommand());
  }

  private RuntimeProcess start(String... env) throws IOException {
    return start(env(env), Map.of());
  }

  private static JsonNode json(String body) throws IOException {
    return RuntimeProcess.JSON.readTree(body);
  }

  /** The runtime's stop through its preStop hook, then SIGTERM: exits 0; returns the hook's answer. */
  private static JsonNode preStopAndStop(RuntimeProcess rt) throws IOException {
    HttpResponse<String> hook = rt.get("/pre-stop");
    assertThat(hook.statusCode()).isEqualTo(200);
    rt.sigterm();
    assertThat(rt.awaitExit()).isZero();
    return json(hook.body());
  }

  // ---- styles and module kinds -------------------------------------------------------------------

  @Test
  void callbackStyleHooksAndHandlerRunAndTheirErrorsAreReported() throws Exception {
    try (RuntimeProcess rt = start("FC_FUNCTION_HANDLER", "node_callback.handler",
        "FC_INITIALIZER_HANDLER", "node_callback.initialize", "FC_PRESTOP_HANDLER", "node_callback.preStop",
        "NODE_FAIL", "preStop")) {
      rt.awaitStartup();
      assertThat(rt.fixtureCount("initializer")).isEqualTo(1);
      HttpResponse<String> ok = rt.invoke("hi");
      assertThat(ok.body()).isEqualTo("callback:hi");
      assertThat(ok.headers().firstValue("content-type")).hasValue("text/plain; charset=utf-8");

      HttpResponse<String> failed = rt.invoke("fail", "x-fc-request-id", "cb-fail");
      assertThat(failed.statusCode()).isEqualTo(200);
      assertThat(failed.headers().firstValue("x-fc-error-type")).hasValue("UnhandledInvocationError");
      JsonNode error = json(failed.body());
      assertThat(error.path("errorType").asText()).isEqualTo("TypeError");
      assertThat(error.path("errorMessage").asText()).isEqualTo("callback handler broke");
      assertThat(error.path("stackTrace").get(0).asText()).contains("node_callback.js:");
      assertThat(error.path("stackTrace").toString()).doesNotContain("fc-runtime-node");
      assertThat(rt.lines()).contains("FC Invoke End RequestId: cb-fail" + FAILED);

      JsonNode outcome = preStopAndStop(rt);
      assertThat(outcome.path("status").asText()).isEqualTo("failed");
      assertThat(outcome.path("error").asText()).contains("callback pre-stop broke");
      assertThat(rt.fixtureCount("pre_stop")).isEqualTo(1);
    }
  }

  @Test
  void aCallbackStyleInitializerCallingBackAnErrorFailsTheInstance() throws Exception {
    try (RuntimeProcess rt = start("FC_FUNCTION_HANDLER", "node_callback.handler",
        "FC_INITIALIZER_HANDLER", "node_callback.initialize", "NODE_FAIL", "initialize")) {
      rt.startupExpectingExit();
      assertThat(rt.awaitExit()).isEqualTo(1);
      JsonNode message = rt.terminationMessage();
      assertThat(message.path("exitReason").asText()).isEqualTo("InitializerFailed");
      assertThat(message.path("message").asText())
          .isEqualTo("Initializer node_callback.initialize failed: Error: callback initializer broke");
      assertThat(rt.fixtureCount("initializer")).isEqualTo(1);
    }
  }

  @Test
  void promiseStyleHooksAndHandlerRunAndTheirRejectionsAreReported() throws Exception {
    try (RuntimeProcess rt = start("FC_FUNCTION_HANDLER", "node_async.handler",
        "FC_INITIALIZER_HANDLER", "node_async.initialize", "FC_PRESTOP_HANDLER", "node_async.preStop")) {
      rt.awaitStartup();
      assertThat(rt.invoke("hi").body()).isEqualTo("async:hi");
      HttpResponse<String> failed = rt.invoke("fail");
      assertThat(failed.headers().firstValue("x-fc-error-type")).hasValue("UnhandledInvocationError");
      assertThat(json(failed.body()).path("errorType").asText()).isEqualTo("TypeError");
      assertThat(json(failed.body()).path("errorMessage").asText()).isEqualTo("async handler broke");
      assertThat(preStopAndStop(rt).path("status").asText()).isEqualTo("succeeded");
      assertThat(rt.fixtureCount("pre_stop")).isEqualTo(1);
    }
  }

  @Test
  void aRejectingAsyncInitializerFailsWithItsErrorTypeAndAFailingAsyncPreStopIsReported() throws Exception {
    try (RuntimeProcess rt = start("FC_FUNCTION_HANDLER", "node_async.handler",
        "FC_INITIALIZER_HANDLER", "node_async.initialize", "NODE_FAIL", "initialize")) {
      rt.startupExpectingExit();
      assertThat(rt.awaitExit()).isEqualTo(1);
      JsonNode message = rt.terminationMessage();
      assertThat(message.path("message").asText())
          .isEqualTo("Initializer node_async.initialize failed: RangeError: async initializer broke");
      assertThat(message.path("initializer").path("error").asText()).startsWith("RangeError: async initializer broke")
          .contains("node_async.js:");
    }
    try (RuntimeProcess rt = start(env("FC_FUNCTION_HANDLER", "node_async.handler",
        "FC_PRESTOP_HANDLER", "node_async.preStop", "NODE_FAIL", "preStop"), Map.of())) {
      rt.awaitStartup();
      JsonNode outcome = preStopAndStop(rt);
      assertThat(outcome.path("status").asText()).isEqualTo("failed");
      assertThat(outcome.path("error").asText()).startsWith("Error: async pre-stop broke");
      assertThat(rt.lines()).anyMatch(l -> l.matches("FC PreStop End RequestId: \\S+" + Pattern.quote(FAILED)));
    }
  }

  @Test
  void anEsModuleIsImportedWithItsAsyncHooks() throws Exception {
    try (RuntimeProcess rt = start("FC_FUNCTION_HANDLER", "node_esm.handler",
        "FC_INITIALIZER_HANDLER", "node_esm.initialize", "FC_PRESTOP_HANDLER", "node_esm.preStop")) {
      rt.awaitStartup();
      assertThat(rt.invoke("x", "x-fc-request-id", "esm-1").body()).isEqualTo("esm:x:esm-1");
      assertThat(rt.fixtureCount("initializer")).isEqualTo(1);
      assertThat(preStopAndStop(rt).path("status").asText()).isEqualTo("succeeded");
      assertThat(rt.fixtureCount("pre_stop")).isEqualTo(1);
    }
  }

  @Test
  void aCjsFileAndAJsFileOfAModulePackageAreLoaded() throws Exception {
    try (RuntimeProcess rt = start("FC_FUNCTION_HANDLER", "node_cjs.handler")) {
      rt.awaitStartup();
      assertThat(rt.invoke("y").body()).isEqualTo("cjs:y");
    }
    try (RuntimeProcess rt = start(env("FC_FUNCTION_HANDLER", "node_modjs.handler"),
        Map.of("package.json", "{\"type\": \"module\"}"))) {
      rt.awaitStartup();
      assertThat(rt.invoke("z").body()).isEqualTo("module-js:z");
    }
  }

  // ---- load errors -----------------------------------------------------------------------------------

  /** Starts with a handler that cannot load and returns the termination message after the exit (status 1). */
  private JsonNode loadFailure(String handler, String... more) throws Exception {
    Map<String, String> env = env(more);
    env.put("FC_FUNCTION_HANDLER", handler);
    try (RuntimeProcess rt = start(env, Map.of())) {
      rt.startupExpectingExit();
      assertThat(rt.awaitExit()).isEqualTo(1);
      JsonNode message = rt.terminationMessage();
      assertThat(message.path("exitReason").asText()).isEqualTo("InitializerFailed");
      assertThat(message.path("initialized").asBoolean()).isFalse();
      String error = env.containsKey("FC_INITIALIZER_HANDLER")
          ? message.path("initializer").path("error").asText() : message.path("error").asText();
      String first = error.lines().findFirst().orElseThrow();
      assertThat(message.path("message").asText()).as("the error's first line, cut at 200 characters")
          .isEqualTo("Could not load the function code: " + (first.length() <= 200 ? first
              : first.substring(0, 200) + "..."));
      assertThat(rt.lines()).anyMatch(l -> l.endsWith("[error] " + first));
      return message;
    }
  }

  private String code(String file) {
    return run.resolve("code").resolve(file).toAbsolutePath().toString();
  }

  @Test
  void aMissingFileIsNamedWithEveryExtensionTried() throws Exception {
    JsonNode message = loadFailure("nowhere.handler");
    assertThat(message.path("error").asText()).isEqualTo("Handler \"nowhere.handler\": file " + code("nowhere.js")
        + ", " + code("nowhere.mjs") + " or " + code("nowhere.cjs") + " not found");
  }

  @Test
  void aMissingExportOrOneThatIsNoFunctionIsNamed() throws Exception {
    JsonNode missing = loadFailure("node_esm.nothing", "FC_INITIALIZER_HANDLER", "node_esm.initialize");
    assertThat(missing.path("initializer").path("error").asText())
        .isEqualTo("Handler \"node_esm.nothing\": " + code("node_esm.mjs") + " has no function \"nothing\"");
    assertThat(missing.path("initializer").path("status").asText()).isEqualTo("failed");
  }

  @Test
  void anExportThatIsNoFunctionIsNamed() throws Exception {
    JsonNode message = loadFailure("node_esm.notAFunction");
    assertThat(message.path("error").asText())
        .isEqualTo("Handler \"node_esm.notAFunction\": \"notAFunction\" in " + code("node_esm.mjs")
            + " is not a function");
  }

  @Test
  void aSyntaxErrorInCommonJsNamesItsFileAndLine() throws Exception {
    JsonNode cjs = loadFailure("node_broken.handler");
    assertThat(cjs.path("error").asText()).startsWith("Handler \"node_broken.handler\": " + code("node_broken.js")
        + " line 3: SyntaxError: ").contains("let b = = 2;");
  }

  @Test
  void aSyntaxErrorInAnEsModuleNamesItsFileAndLine() throws Exception {
    Map<String, String> env = env("FC_FUNCTION_HANDLER", "node_broken_esm.handler");
    try (RuntimeProcess rt = start(env, Map.of("node_broken_esm.mjs",
        Files.readString(FIXTURES.resolve("node_broken.mjs"))))) {
      rt.startupExpectingExit();
      assertThat(rt.awaitExit()).isEqualTo(1);
      assertThat(rt.terminationMessage().path("error").asText()).startsWith("Handler \"node_broken_esm.handler\": "
          + code("node_broken_esm.mjs") + " line 2: SyntaxError: ").contains("let b = = 2;");
    }
  }

  @Test
  void aPackageNobodyInstalledNamesTheUsersFileAndLineThatRequiredIt() throws Exception {
    JsonNode message = loadFailure("node_needs.handler");
    String error = message.path("error").asText();
    assertThat(error.lines().findFirst().orElseThrow()).isEqualTo("Handler \"node_needs.handler\": "
        + code("node_needs_lib.js") + " line 3: Error: Cannot find module 'not-installed-anywhere'");
    assertThat(error).contains("node_needs.js:3").doesNotContain("fc-runtime-node").doesNotContain("node:internal");
  }

  @Test
  void aLongLoadErrorIsCutSoTheTerminationMessageStaysValidJsonWithin4KiB() throws Exception {
    Map<String, String> env = env("FC_FUNCTION_HANDLER", "node_huge.handler");
    try (RuntimeProcess rt = start(env, Map.of("node_huge.js",
        "'use strict';\nconst s = '" + "\u00e9".repeat(20000) + "'; let b = = 2;\n"))) {
      rt.startupExpectingExit();
      assertThat(rt.awaitExit()).isEqualTo(1);
      byte[] raw = Files.readAllBytes(rt.terminationLog);
      assertThat(raw.length).isLessThanOrEqualTo(4096);
      JsonNode message = RuntimeProcess.JSON.readTree(raw);
      assertThat(message.path("exitReason").asText()).isEqualTo("InitializerFailed");
      assertThat(message.path("error").asText()).startsWith("Handler \"node_huge.handler\": " + code("node_huge.js")
          + " line 2: SyntaxError: ").contains("\u00e9\u00e9\u00e9").endsWith("... [truncated]");
      assertThat(message.path("message").asText()).hasSizeLessThan(300);
    }
  }

  // ---- context, logger, environment -----------------------------------------------------------------

  @Test
  void theContextHasFcsNodeJsNamesAndTheLoggerPrintsFcsFormat() throws Exception {
    try (RuntimeProcess rt = start("FC_FUNCTION_HANDLER", "node_async.context",
        "FC_INITIALIZER_HANDLER", "node_async.initialize", "FC_INITIALIZATION_TIMEOUT", "7",
        "FC_FUNCTION_MEMORY_SIZE", "256", "FC_TIMEOUT", "9", "FC_REGION", "cn-test", "FC_ACCOUNT_ID", "1234",
        "FC_INSTANCE_ID", "pod-1", "ALIBABA_CLOUD_ACCESS_KEY_ID", "ak", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "sk",
        "ALIBABA_CLOUD_SECURITY_TOKEN", "st")) {
      rt.awaitStartup();
      JsonNode answer = json(rt.invoke("", "x-fc-request-id", "req-ctx").body());
      JsonNode context = answer.path("context");
      assertThat(context.path("requestId").asText()).isEqualTo("req-ctx");
      assertThat(context.path("credentials").toString())
          .isEqualTo("{\"accessKeyId\":\"ak\",\"accessKeySecret\":\"sk\",\"securityToken\":\"st\"}");
      assertThat(context.path("function").toString()).isEqualTo("{\"name\":\"fixture-fn\",\"handler\":"
          + "\"node_async.context\",\"memory\":256,\"timeout\":9,\"initializer\":\"node_async.initialize\","
          + "\"initializationTimeout\":7}");
      assertThat(context.path("service").toString()).isEqualTo("{\"name\":\"fixture-ns\",\"logProject\":\"\","
          + "\"logStore\":\"\",\"qualifier\":\"LATEST\",\"versionId\":\"\"}");
      assertThat(context.path("region").asText()).isEqualTo("cn-test");
      assertThat(context.path("accountId").asText()).isEqualTo("1234");
      assertThat(context.path("instanceId").asText()).isEqualTo("pod-1");
      assertThat(answer.path("loggerMethods").toString()).isEqualTo("[\"debug\",\"error\",\"info\",\"log\",\"warn\"]");

      String stamp = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z";
      int start = rt.lines().indexOf("FC Invoke Start RequestId: req-ctx");
      int end = rt.lines().indexOf("FC Invoke End RequestId: req-ctx");
      assertThat(start).isNotNegative();
      assertThat(rt.lines().subList(start + 1, end)).hasSize(4).satisfiesExactly(
          l -> assertThat(l).matches(stamp + " req-ctx \\[info\\] hello fc"),
          l -> assertThat(l).matches(stamp + " req-ctx \\[warn\\] careful"),
          l -> assertThat(l).matches(stamp + " req-ctx \\[error\\] bad"),
          l -> assertThat(l).matches(stamp + " req-ctx \\[info\\] plain"));
    }
  }

  @Test
  void theLifecycleSecretIsNotInTheUsersEnvironmentNorItsChildren() throws Exception {
    try (RuntimeProcess rt = start("FC_FUNCTION_HANDLER", "node_async.environment")) {
      rt.awaitStartup();
      JsonNode seen = json(rt.invoke("").body());
      assertThat(seen.path("functionName").asText()).isEqualTo("fixture-fn");
      assertThat(seen.path("tokenInProcessEnv").asBoolean()).isFalse();
      assertThat(seen.path("tokenInChildEnv").asBoolean()).isFalse();
      assertThat(rt.get("/ready").statusCode()).as("the runtime still has it").isEqualTo(200);
    }
  }

  @Test
  void packagesOnNodePathResolveFromCommonJsAndEsModules() throws Exception {
    // the folder the next start's code has (run<N>/code/vendor/node_modules)
    String nodePath = tmp.resolve("run" + runs + "/code/vendor/node_modules").toAbsolutePath().toString();
    try (RuntimeProcess rt = start("FC_FUNCTION_HANDLER", "node_paths.handler", "NODE_PATH", nodePath)) {
      rt.awaitStartup();
      assertThat(rt.invoke("cjs").body()).isEqualTo("hello cjs from NODE_PATH");
    }
    nodePath = tmp.resolve("run" + runs + "/code/vendor/node_modules").toAbsolutePath().toString();
    try (RuntimeProcess rt = start("FC_FUNCTION_HANDLER", "node_paths_esm.handler", "NODE_PATH",
        "/nonexistent/node_modules:" + nodePath)) {
      rt.awaitStartup();
      assertThat(rt.invoke("esm").body()).isEqualTo("esm hello esm from NODE_PATH");
    }
  }

  @Test
  void withoutNodePathThePackageIsNotFound() throws Exception {
    JsonNode message = loadFailure("node_paths.handler");
    assertThat(message.path("error").asText()).contains("Cannot find module 'greet'");
  }

  // ---- results and errors ---------------------------------------------------------------------------

  @Test
  void resultsAreEncodedByTheirType() throws Exception {
    try (RuntimeProcess rt = start("FC_FUNCTION_HANDLER", "node_async.result")) {
      rt.awaitStartup();
      record Expect(String event, String body, String contentType) {}
      for (Expect e : List.of(new Expect("string", "plain text", "text/plain; charset=utf-8"),
          new Expect("object", "{\"a\":1,\"list\":[1,\"two\"]}", "application/json"),
          new Expect("array", "[1,2,3]", "application/json"),
          new Expect("undefined", "", "text/plain; charset=utf-8"),
          new Expect("null", "", "text/plain; charset=utf-8"),
          new Expect("number", "42", "text/plain; charset=utf-8"))) {
        HttpResponse<String> answer = rt.invoke(e.event());
        assertThat(answer.body()).as(e.event()).isEqualTo(e.body());
        assertThat(answer.headers().firstValue("content-type")).as(e.event()).hasValue(e.contentType());
        assertThat(answer.headers().firstValue("x-fc-error-type")).as(e.event()).isEmpty();
      }
      HttpResponse<byte[]> bytes = rt.send(rt.invokeRequest("buffer"), HttpResponse.BodyHandlers.ofByteArray());
      assertThat(bytes.body()).containsExactly(0, 1, 2, 255);
      assertThat(bytes.headers().firstValue("content-type")).hasValue("application/octet-stream");

      HttpResponse<String> circular = rt.invoke("circular", "x-fc-request-id", "req-circ");
      assertThat(circular.headers().firstValue("x-fc-error-type")).hasValue("UnhandledInvocationError");
      assertThat(json(circular.body()).path("errorType").asText()).isEqualTo("TypeError");
      assertThat(rt.lines()).contains("FC Invoke End RequestId: req-circ" + FAILED);
    }
  }

  @Test
  void anErrorEscapingTheHandlersCallFailsItsInvocationAndTheRuntimeGoesOn() throws Exception {
    try (RuntimeProcess rt = start("FC_FUNCTION_HANDLER", "node_async.throwsLater")) {
      rt.awaitStartup();
      HttpResponse<String> thrown = rt.invoke("", "x-fc-request-id", "req-late");
      assertThat(thrown.headers().firstValue("x-fc-error-type")).hasValue("UnhandledInvocationError");
      assertThat(json(thrown.body()).path("errorMessage").asText()).isEqualTo("thrown from a timer");
      assertThat(rt.lines()).contains("FC Invoke End RequestId: req-late" + FAILED);
      assertThat(rt.invoke("").headers().firstValue("x-fc-error-type")).hasValue("UnhandledInvocationError");
      assertThat(rt.alive()).isTrue();
      assertThat(rt.get("/ready").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void anUnhandledRejectionFailsItsInvocation() throws Exception {
    try (RuntimeProcess rt = start("FC_FUNCTION_HANDLER", "node_async.rejectsUnhandled", "FC_TIMEOUT", "5")) {
      rt.awaitStartup();
      HttpResponse<String> rejected = rt.invoke("");
      assertThat(rejected.headers().firstValue("x-fc-error-type")).hasValue("UnhandledInvocationError");
      assertThat(json(rejected.body()).path("errorMessage").asText()).isEqualTo("rejected with nobody to catch it");
      assertThat(rt.alive()).isTrue();
    }
  }

  // ---- code that blocks the event loop --------------------------------------------------------------

  @Test
  void anInitializerThatNeverYieldsTimesOutExitingInitializerTimeout() throws Exception {
    try (RuntimeProcess rt = start("FC_FUNCTION_HANDLER", "node_blocking.handler", "FC_INITIALIZER_HANDLER",
        "node_blocking.initialize", "FC_INITIALIZATION_TIMEOUT", "1", "NODE_BLOCK", "initialize")) {
      rt.startupExpectingExit();
      assertThat(rt.awaitExit()).isEqualTo(2);
      JsonNode message = rt.terminationMessage();
      assertThat(message.path("exitReason").asText()).isEqualTo("InitializerTimeout");
      assertThat(message.path("message").asText()).isEqualTo("Initializer node_blocking.initialize timed out after 1 "
          + "seconds");
      assertThat(message.path("initializer").path("status").asText()).isEqualTo("timeout");
      assertThat(message.path("initializer").path("durationMs").asLong()).isBetween(1000L, 9000L);
      assertThat(rt.lines()).anyMatch(l -> l.matches("FC Initialize End RequestId: \\S+" + Pattern.quote(FAILED)));
    }
  }

  @Test
  void anInvocationThatNeverYieldsIsAFunctionTimeoutAndTheInstanceExitsInvocationTimeout() throws Exception {
    try (RuntimeProcess rt = start("FC_FUNCTION_HANDLER", "node_blocking.handler", "FC_TIMEOUT", "1",
        "FC_PRESTOP_HANDLER", "node_blocking.preStop")) {
      rt.awaitStartup();
      assertThat(rt.invoke("x").body()).isEqualTo("fine");
      HttpResponse<String> blocked = rt.invoke("block", "x-fc-request-id", "req-spin");
      assertThat(blocked.statusCode()).isEqualTo(200);
      assertThat(blocked.headers().firstValue("x-fc-error-type")).hasValue("FunctionTimeout");
      assertThat(json(blocked.body()).path("errorMessage").asText()).isEqualTo("Function timed out after 1 seconds");
      assertThat(rt.awaitExit()).isEqualTo(3);
      assertThat(rt.lines()).contains("FC Invoke End RequestId: req-spin" + FAILED);
      JsonNode message = rt.terminationMessage();
      assertThat(message.path("exitReason").asText()).isEqualTo("InvocationTimeout");
      assertThat(message.path("message").asText()).contains("req-spin").contains("FC_TIMEOUT (1 s)");
      assertThat(message.path("preStop").path("status").asText()).as("it cannot run").isEqualTo("skipped");
    }
  }

  @Test
  void aPreStopThatNeverYieldsTimesOutAndTheProcessEnds() throws Exception {
    try (RuntimeProcess rt = start("FC_FUNCTION_HANDLER", "node_blocking.handler", "FC_PRESTOP_HANDLER",
        "node_blocking.preStop", "FC_PRESTOP_TIMEOUT", "1", "NODE_BLOCK", "preStop")) {
      rt.awaitStartup();
      rt.sigterm();
      assertThat(rt.awaitExit()).isZero();
      JsonNode message = rt.terminationMessage();
      assertThat(message.path("exitReason").asText()).isEqualTo("Stopped");
      assertThat(message.path("preStop").path("status").asText()).isEqualTo("timeout");
      assertThat(message.path("preStop").path("error").asText())
          .isEqualTo("PreStop node_blocking.preStop timed out after 1 seconds");
      assertThat(rt.lines()).anyMatch(l -> l.matches("FC PreStop End RequestId: \\S+" + Pattern.quote(FAILED)));
    }
  }

  // ---- HTTP functions -------------------------------------------------------------------------------

  @Test
  void anHttpFunctionGetsFcsRequestAndAnswersThroughItsResponse() throws Exception {
    try (RuntimeProcess rt = start("FC_FUNCTION_HANDLER", "node_http.handler", "FC_HANDLER_TYPE", "http")) {
      rt.awaitStartup();
      HttpResponse<String> answer = rt.send(rt.request(rt.invokePort, "/some/p%20ath?a=1&b=2&b=3")
          .method("PUT", HttpRequest.BodyPublishers.ofString("the body"))
          .header("X-My-Header", "mine").header("x-fc-request-id", "req-http").header("x-fc-other", "forged")
          .build());
      assertThat(answer.statusCode()).isEqualTo(201);
      assertThat(answer.headers().firstValue("x-custom")).hasValue("yes");
      assertThat(answer.headers().firstValue("x-dropped")).isEmpty();
      assertThat(answer.headers().firstValue("x-fc-forged")).isEmpty();
      assertThat(answer.headers().firstValue("x-fc-request-id")).hasValue("req-http");
      assertThat(answer.headers().firstValue("content-type")).hasValue("application/json");
      JsonNode seen = json(answer.body());
      assertThat(seen.path("method").asText()).isEqualTo("PUT");
      assertThat(seen.path("path").asText()).isEqualTo("/some/p ath");
      assertThat(seen.path("queries").toString()).isEqualTo("{\"a\":\"1\",\"b\":[\"2\",\"3\"]}");
      assertThat(seen.path("url").asText()).isEqualTo("/some/p%20ath?a=1&b=2&b=3");
      assertThat(seen.path("clientIP").asText()).isEqualTo("127.0.0.1");
      assertThat(seen.path("header").asText()).isEqualTo("mine");
      assertThat(seen.path("fcHeaderSeen").asBoolean()).isFalse();
      assertThat(seen.path("streamed").asText()).isEqualTo("the body");
      assertThat(seen.path("body").asText()).isEqualTo("the body");
      assertThat(seen.path("requestId").asText()).isEqualTo("req-http");
      assertThat(rt.lines()).containsSubsequence("FC Invoke Start RequestId: req-http",
          "FC Invoke End RequestId: req-http");

      HttpResponse<String> failed = rt.send(rt.request(rt.invokePort, "/fail").GET().build());
      assertThat(failed.statusCode()).isEqualTo(502);
      assertThat(failed.headers().firstValue("x-fc-error-type")).hasValue("UnhandledInvocationError");
      assertThat(json(failed.body()).path("errorMessage").asText()).isEqualTo("http handler broke");
    }
  }

  @Test
  void anHttpFunctionMaySendAStream() throws Exception {
    try (RuntimeProcess rt = start("FC_FUNCTION_HANDLER", "node_http.stream", "FC_HANDLER_TYPE", "http")) {
      rt.awaitStartup();
      HttpResponse<String> answer = rt.send(rt.request(rt.invokePort, "/").GET().build());
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(answer.body()).isEqualTo("streamed answer");
      assertThat(answer.headers().firstValue("content-type")).hasValue("text/plain");
    }
  }

  // ---- HTTP refusals ----------------------------------------------------------------------------------

  /** Sends raw bytes and returns what the runtime answered until it closed (or 5 s passed). */
  private static String raw(int port, String request) throws IOException {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
      socket.setSoTimeout(5000);
      socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
    }
  }

  @Test
  void requestsTheRuntimeCannotTakeAreRefusedInTheInvocationPortsFormAndClosed() throws Exception {
    try (RuntimeProcess rt = start("FC_FUNCTION_HANDLER", "node_async.handler")) {
      rt.awaitStartup();
      record Refusal(String request, String statusLine, String errorType) {}
      for (Refusal r : List.of(
          new Refusal("POST /invoke HTTP/2.0\r\nHost: x\r\n\r\n", "HTTP/1.1 505 ", "HTTPVersionNotSupported"),
          new Refusal("POST /invoke HTTP/1.1\r\nContent-Length: 0\r\n\r\n", "HTTP/1.1 400 ", "BadRequest"),
          new Refusal("POST /invoke HTTP/1.1\r\nHost: a\r\nHost: b\r\nContent-Length: 0\r\n\r\n", "HTTP/1.1 400 ",
              "BadRequest"),
          new Refusal("POST /invoke HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"
              + "0\r\n\r\n", "HTTP/1.1 400 ", "BadRequest"),
          new Refusal("POST /invoke HTTP/1.1\r\nHost: x\r\nContent-Length: 33554433\r\n\r\n", "HTTP/1.1 413 ",
              "RequestEntityTooLarge"),
          new Refusal("BREW /invoke HTTP/1.1\r\nHost: x\r\n\r\n", "HTTP/1.1 501 ", "NotImplemented"),
          new Refusal("GET /invoke HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", "HTTP/1.1 405 ",
              "MethodNotAllowed"),
          new Refusal("POST /other HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
              "HTTP/1.1 404 ", "NotFound"))) {
        String answer = raw(rt.invokePort, r.request());
        assertThat(answer).as(r.request()).startsWith(r.statusLine())
            .containsIgnoringCase("x-fc-error-type: " + r.errorType() + "\r\n")
            .endsWith(",\"errorType\":\"" + r.errorType() + "\",\"stackTrace\":[]}");
      }
      assertThat(raw(rt.invokePort, "OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
          .startsWith("HTTP/1.1 200 ").containsIgnoringCase("allow: POST\r\n");
      assertThat(raw(rt.lifecyclePort, "POST /startup HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 501 ");
      assertThat(rt.lines()).noneMatch(l -> l.startsWith("FC Invoke"));
    }
  }

  // ---- the contract's details the conformance suite leaves to each runtime's tests ---------------------

  @Test
  void theLifecyclePortWantsTheSecretAndNothingElseInTheHeaderOrTheQuery() throws Exception {
    try (RuntimeProcess rt = start("FC_FUNCTION_HANDLER", "node_async.handler", "FC_PRESTOP_HANDLER",
        "node_async.preStop")) {
      rt.awaitStartup();
      String token = RuntimeProcess.TOKEN;
      assertThat(rt.send(rt.request(rt.lifecyclePort, "/ready").GET().build()).statusCode()).isEqualTo(403);
      assertThat(rt.send(rt.request(rt.lifecyclePort, "/ready").GET().header("X-Fc-Lifecycle-Token", token + "x")
          .build()).statusCode()).isEqualTo(403);
      assertThat(rt.send(rt.request(rt.lifecyclePort, "/ready?token=wrong").GET().header("X-Fc-Lifecycle-Token",
          token).build()).statusCode()).as("one right, one wrong").isEqualTo(403);
      assertThat(raw(rt.lifecyclePort, "GET /pre-stop HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
          .startsWith("HTTP/1.1 403 ");
      assertThat(rt.fixtureCount("pre_stop")).as("a refused call changes nothing").isZero();
      assertThat(rt.send(rt.request(rt.lifecyclePort, "/ready?token=" + token).GET().build()).statusCode())
          .isEqualTo(200);
      // the kubelet of Kubernetes 1.20 sends the hook's path with two slashes, and no header
      String answer = raw(rt.lifecyclePort, "GET //pre-stop?token=" + token + " HTTP/1.1\r\nHost: x\r\n"
          + "Connection: close\r\n\r\n");
      assertThat(answer).startsWith("HTTP/1.1 200 ").endsWith("{\"status\":\"succeeded\",\"durationMs\":"
          + json(answer.substring(answer.indexOf("\r\n\r\n") + 4)).path("durationMs").asLong() + "}");
      assertThat(rt.fixtureCount("pre_stop")).isEqualTo(1);
      assertThat(rt.get("/pre-stop").body()).as("a second call answers the same, running nothing")
          .isEqualTo(answer.substring(answer.indexOf("\r\n\r\n") + 4));
      assertThat(rt.fixtureCount("pre_stop")).isEqualTo(1);
    }
  }

  @Test
  void aRequestIdThatCouldForgeALineOrIsGivenTwiceIsReplacedByAUuid() throws Exception {
    try (RuntimeProcess rt = start("FC_FUNCTION_HANDLER", "node_async.handler")) {
      rt.awaitStartup();
      for (String bad : List.of("x, Error: Unhandled function error", "a b", "x".repeat(129))) {
        String used = rt.invoke("e", "x-fc-request-id", bad).headers().firstValue("x-fc-request-id").orElseThrow();
        assertThat(used).as(bad).matches(RuntimeProcess.UUID);
      }
      String twice = raw(rt.invokePort, "POST /invoke HTTP/1.1\r\nHost: x\r\nx-fc-request-id: a\r\n"
          + "x-fc-request-id: b\r\nContent-Length: 1\r\nConnection: close\r\n\r\ne");
      assertThat(twice).startsWith("HTTP/1.1 200 ").containsPattern("(?i)x-fc-request-id: " + RuntimeProcess.UUID);
      assertThat(rt.invoke("e", "x-fc-request-id", "1-65e59b07-1520da26-bf73bbb91b69").headers()
          .firstValue("x-fc-request-id")).hasValue("1-65e59b07-1520da26-bf73bbb91b69");
      assertThat(rt.lines()).noneMatch(l -> l.contains("Error: Unhandled function error, Error"));
    }
  }

  @Test
  void theProvisionalMessageIsOnFileOnceInitializedAndAfterTheFirstReady() throws Exception {
    try (RuntimeProcess rt = start("FC_FUNCTION_HANDLER", "node_async.handler", "FC_INITIALIZER_HANDLER",
        "node_async.initialize", "FC_PRESTOP_HANDLER", "node_async.preStop")) {
      rt.awaitStartup();
      JsonNode initialized = rt.terminationMessage();
      assertThat(initialized.has("exitReason")).isFalse();
      assertThat(initialized.path("message").asText())
          .isEqualTo("the runtime was killed before it could write why it ended");
      assertThat(initialized.path("initialized").asBoolean()).isTrue();
      assertThat(initialized.path("initializer").path("status").asText()).isEqualTo("succeeded");
      assertThat(initialized.path("preStop").path("status").asText()).isEqualTo("skipped");
      assertThat(initialized.path("coldStart").has("initializerStartMs")).isTrue();
      assertThat(initialized.path("coldStart").path("initializerMs").asLong()).isGreaterThanOrEqualTo(50);
      assertThat(initialized.path("coldStart").has("readyAfterInitializerMs")).isFalse();
      assertThat(rt.get("/ready").statusCode()).isEqualTo(200);
      assertThat(rt.terminationMessage().path("coldStart").has("readyAfterInitializerMs")).isTrue();
      rt.sigkill();
      rt.awaitExit();
      assertThat(rt.terminationMessage().has("exitReason")).as("a killed runtime leaves its provisional message")
          .isFalse();
    }
  }

  @Test
  void sigtermDuringTheInitializerExitsStoppedWithTheInitializerInterrupted() throws Exception {
    try (RuntimeProcess rt = start("FC_FUNCTION_HANDLER", "conformance.handler", "FC_INITIALIZER_HANDLER",
        "conformance.initialize", "CONF_INIT", "hang", "FC_INITIALIZATION_TIMEOUT", "5",
        "FC_PRESTOP_HANDLER", "conformance.pre_stop")) {
      rt.awaitLine(INIT_START);
      rt.sigterm();
      assertThat(rt.awaitExit()).isZero();
      JsonNode message = rt.terminationMessage();
      assertThat(message.path("exitReason").asText()).isEqualTo("Stopped");
      assertThat(message.path("initialized").asBoolean()).isFalse();
      assertThat(message.path("initializer").path("status").asText()).isEqualTo("interrupted");
      assertThat(message.path("initializer").has("durationMs")).isTrue();
      assertThat(message.path("preStop").path("status").asText()).isEqualTo("skipped");
      assertThat(rt.fixtureCount("pre_stop")).isZero();
    }
  }

  // ---- settings -------------------------------------------------------------------------------------

  @Test
  void aSettingItCannotUseStopsItWithRuntimeFailed() throws Exception {
    try (RuntimeProcess rt = RuntimeProcess.launch(tmp, env("FC_FUNCTION_HANDLER", "node_async.handler",
        "FC_LIFECYCLE_TOKEN", "set-per-pod-at-creation"), RuntimeProcess.nodeCommand())) {
      assertThat(rt.awaitExit()).isEqualTo(4);
      JsonNode message = rt.terminationMessage();
      assertThat(message.path("exitReason").asText()).isEqualTo("RuntimeFailed");
      assertThat(message.path("message").asText()).startsWith("bad configuration: FC_LIFECYCLE_TOKEN is the pod "
          + "template's placeholder");
      assertThat(message.size()).isEqualTo(2);
      assertThat(rt.lines()).anyMatch(l -> l.startsWith("fc-runtime: bad configuration: FC_LIFECYCLE_TOKEN"));
    }
  }

  @Test
  void aTimeoutThatIsNoIntegerOrAMissingSecretStopsIt() throws Exception {
    try (RuntimeProcess rt = RuntimeProcess.launch(tmp.resolve("a"), env("FC_FUNCTION_HANDLER", "node_async.handler",
        "FC_TIMEOUT", "soon"), RuntimeProcess.nodeCommand())) {
      assertThat(rt.awaitExit()).isEqualTo(4);
      assertThat(rt.terminationMessage().path("message").asText())
          .isEqualTo("bad configuration: FC_TIMEOUT must be an integer, got \"soon\"");
    }
    try (RuntimeProcess rt = RuntimeProcess.launch(tmp.resolve("b"), env("FC_FUNCTION_HANDLER", "node_async.handler",
        "FC_LIFECYCLE_TOKEN", ""), RuntimeProcess.nodeCommand())) {
      assertThat(rt.awaitExit()).isEqualTo(4);
      assertThat(rt.terminationMessage().path("message").asText()).contains("FC_LIFECYCLE_TOKEN must be 32 to 256");
    }
  }
}
