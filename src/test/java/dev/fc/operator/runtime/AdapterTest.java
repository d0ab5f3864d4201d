package dev.fc.operator.runtime;

import static dev.fc.operator.runtime.RuntimeProcess.env;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fc.operator.contract.InvocationEndpoint;
import dev.fc.operator.contract.RuntimeEnv;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What only the custom runtimes' adapter does (fc_adapter.py), beyond the contract all runtimes share
 * ({@link ContractConformanceTest}): FC's headers to the user's server, an HTTP function's request passed through,
 * the hooks' paths kept from callers, a server that never listens or goes away.
 */
class AdapterTest {
  @TempDir Path tmp;

  @Test
  void theServerGetsFcsHeadersWithTheRequestIdAndNeverTheLifecycleSecret() throws Exception {
    try (var instance = ContractRuntime.ADAPTER_WITH_PYTHON_SERVER.start(tmp, env("FC_REGION", "cn-test"))) {
      RuntimeProcess rt = instance.runtime();
      rt.awaitStartup();
      HttpResponse<String> answer = rt.invoke("headers", "x-fc-request-id", "req-h");
      JsonNode headers = RuntimeProcess.JSON.readTree(answer.body());
      assertThat(headers.path("x-fc-request-id").asText()).isEqualTo("req-h");
      assertThat(headers.path("x-fc-function-name").asText()).isEqualTo("fixture-fn");
      assertThat(headers.path("x-fc-function-initializer").asText()).isEqualTo("conformance.initialize");
      assertThat(headers.path("x-fc-instance-lifecycle-pre-stop-handler").asText()).isEqualTo("conformance.pre_stop");
      assertThat(headers.path("x-fc-region").asText()).isEqualTo("cn-test");
      assertThat(headers.path("x-fc-control-path").asText()).isEqualTo("/invoke");
      assertThat(headers.path("x-fc-function-timeout").asText()).isEqualTo("3");
      java.util.List<String> names = new java.util.ArrayList<>();
      headers.fieldNames().forEachRemaining(names::add);
      assertThat(names).as("FC's headers and no other x-fc-* (never the lifecycle secret)")
          .allMatch(n -> n.equals(InvocationEndpoint.REQUEST_ID_HEADER) || InvocationEndpoint.CUSTOM_SERVER_HEADERS
              .contains(n));
    }
  }

  @Test
  void anHttpFunctionsRequestIsPassedThroughAndTheHooksPathsAreNot() throws Exception {
    try (var instance = ContractRuntime.ADAPTER_WITH_PYTHON_SERVER.start(tmp, env("FC_HANDLER_TYPE", "http"))) {
      RuntimeProcess rt = instance.runtime();
      rt.awaitStartup();
      HttpResponse<String> put = rt.send(rt.request(rt.invokePort, "/items/7?q=a%20b").header("X-Echo", "kept")
          .header("x-fc-request-id", "req-p").PUT(HttpRequest.BodyPublishers.ofString("body!")).build());
      assertThat(put.statusCode()).isEqualTo(207);
      assertThat(put.body()).isEqualTo("PUT /items/7?q=a%20b body!");
      assertThat(put.headers().firstValue("X-Echo")).hasValue("kept");
      assertThat(put.headers().firstValue("x-fc-request-id")).hasValue("req-p");
      assertThat(rt.lines()).contains("FC Invoke Start RequestId: req-p");

      for (String reserved : new String[] {"/initialize", "/pre-stop?x=1"}) {
        HttpResponse<String> refused = rt.send(rt.request(rt.invokePort, reserved)
            .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(refused.statusCode()).as(reserved).isEqualTo(404);
        assertThat(refused.headers().firstValue("x-fc-error-type")).hasValue("NotFound");
      }
      assertThat(rt.fixtureCount("initializer")).isEqualTo(1);
      assertThat(rt.fixtureCount("pre_stop")).isZero();
    }
  }

  @Test
  void aServerThatNeverListensFailsTheInstanceNamingItsPort() throws Exception {
    int port = dev.fc.operator.local.FreePorts.pick(1)[0];
    try (RuntimeProcess rt = RuntimeProcess.start(tmp, env("FC_FUNCTION_HANDLER", "x",
        RuntimeEnv.CUSTOM_LISTEN_PORT, Integer.toString(port), "FC_STARTUP_PROBE_HOLD", "1"),
        java.util.Map.of(), RuntimeProcess.adapterCommand())) {
      rt.startupExpectingExit();
      assertThat(rt.awaitExit()).isEqualTo(1);
      JsonNode message = rt.terminationMessage();
      assertThat(message.path("exitReason").asText()).isEqualTo("InitializerFailed");
      assertThat(message.path("message").asText()).startsWith("The function's server did not start: ")
          .contains("nothing listened on 127.0.0.1:" + port + " within 1 s").contains("customContainerConfig.port");
    }
  }

  @Test
  void anAnswerOverFcsBoundIsNotPassedOnButTheInstanceGoesOn() throws Exception {
    try (var instance = ContractRuntime.ADAPTER_WITH_PYTHON_SERVER.start(tmp, env())) {
      RuntimeProcess rt = instance.runtime();
      rt.awaitStartup();
      int bound = 32 * 1024 * 1024;
      HttpResponse<String> atBound = rt.invoke("big:" + bound);
      assertThat(atBound.statusCode()).isEqualTo(200);
      assertThat(atBound.body()).hasSize(bound);
      HttpResponse<String> over = rt.invoke("big:" + (bound + 1), "x-fc-request-id", "req-big");
      assertThat(over.statusCode()).isEqualTo(502);
      assertThat(over.headers().firstValue("x-fc-error-type")).hasValue("FunctionUnavailable");
      assertThat(over.body()).contains("answered more than 33554432 bytes");
      assertThat(rt.invoke("echo:after").body()).isEqualTo("after");
    }
  }

  @Test
  void aServerGoneAfterItsStartAnswersFunctionUnavailable() throws Exception {
    try (var instance = ContractRuntime.ADAPTER_WITH_NODE_SERVER.start(tmp, env())) {
      RuntimeProcess rt = instance.runtime();
      rt.awaitStartup();
      instance.server().destroyForcibly().waitFor();
      HttpResponse<String> answer = rt.invoke("echo:x", "x-fc-request-id", "req-gone");
      assertThat(answer.statusCode()).isEqualTo(502);
      assertThat(answer.headers().firstValue("x-fc-error-type")).hasValue("FunctionUnavailable");
      assertThat(answer.body()).contains("could not be reached");
      assertThat(rt.awaitLine(Pattern.compile("FC Invoke End RequestId: req-gone, Error: Unhandled function error")))
          .isNotNull();
    }
  }
}
