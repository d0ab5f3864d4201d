package dev.fc.operator.runtime;

import static dev.fc.operator.runtime.RuntimeProcess.TOKEN;
import static dev.fc.operator.runtime.RuntimeProcess.env;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fc.operator.contract.LifecycleEndpoints;
import dev.fc.operator.contract.RuntimeEnv;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The lifecycle port answers only requests that carry the pod's secret (docs/runtime-contract.md, "Threat
 * model"): anything else is refused with 403 before the path is looked at, and changes nothing; the kubelet's
 * requests (the probes' header, the preStop hook's query, as kubelet 1.20 sends it without headers) work.
 */
class RuntimeLifecycleTokenTest {
  static final String HEADER = LifecycleEndpoints.TOKEN_HEADER;

  @TempDir Path tmp;

  /** A request on the lifecycle port: a path with or without a query, and headers. */
  record Attempt(String description, String path, List<String> headers) {
    @Override
    public String toString() {
      return description;
    }
  }

  static List<Attempt> forgedAttempts() {
    List<Attempt> attempts = new ArrayList<>();
    for (String path : List.of("/startup", "/ready", "/pre-stop", "//pre-stop", "/unknown")) {
      attempts.add(new Attempt(path + " without a token", path, List.of()));
      attempts.add(new Attempt(path + " with a wrong token", path, List.of(HEADER, "x".repeat(TOKEN.length()))));
      attempts.add(new Attempt(path + " with the token in other case", path, List.of(HEADER, TOKEN.toLowerCase())));
      attempts.add(new Attempt(path + " with the token and more", path, List.of(HEADER, TOKEN + "x")));
      attempts.add(new Attempt(path + " with the token cut short", path, List.of(HEADER, TOKEN.substring(1))));
      attempts.add(new Attempt(path + " with the right and a wrong header", path,
          List.of(HEADER, TOKEN, HEADER, "wrong")));
      attempts.add(new Attempt(path + " with the right header and a wrong query", path + "?token=wrong",
          List.of(HEADER, TOKEN)));
      attempts.add(new Attempt(path + " with an empty query token", path + "?token=", List.of()));
      attempts.add(new Attempt(path + " with the token in another query parameter", path + "?secret=" + TOKEN,
          List.of()));
      attempts.add(new Attempt(path + " with the token under another header", path, List.of("X-Token", TOKEN)));
      attempts.add(new Attempt(path + " with the template's placeholder", path,
          List.of(HEADER, LifecycleEndpoints.TOKEN_PLACEHOLDER)));
    }
    return attempts;
  }

  @Test
  void everyRequestWithoutTheSecretIsRefusedAndChangesNothing() throws Exception {
    try (RuntimeProcess rt = RuntimeProcess.start(tmp, env("FC_FUNCTION_HANDLER", "handlers.by_type",
        "FC_INITIALIZER_HANDLER", "hooks.init_ok", "FC_PRESTOP_HANDLER", "hooks.pre_stop_ok"))) {
      rt.await("the Initializer to end", () -> rt.count(Pattern.compile("FC Initialize End RequestId: \\S+")) == 1);
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
      assertThat(rt.invoke("str").statusCode()).as("invocations are still taken").isEqualTo(200);
      JsonNode provisional = rt.terminationMessage();
      assertThat(provisional.path("coldStart").has("readyAfterInitializerMs"))
          .as("no refused /ready counted as the kubelet's first").isFalse();

      // the kubelet's requests: the probes with the header, the preStop hook as kubelet 1.20 sends it
      assertThat(rt.get("/startup").statusCode()).isEqualTo(200);
      assertThat(rt.get("/ready").statusCode()).isEqualTo(200);
      HttpResponse<String> hook = rt.send(rt.request(rt.lifecyclePort, "//pre-stop?token=" + TOKEN).GET().build());
      assertThat(hook.statusCode()).isEqualTo(200);
      assertThat(RuntimeProcess.JSON.readTree(hook.body()).path("status").asText()).isEqualTo("succeeded");
      assertThat(rt.fixtureCount("pre_stop")).isEqualTo(1);
      HttpResponse<String> both = rt.send(rt.request(rt.lifecyclePort, "/pre-stop?token=" + TOKEN)
          .header(HEADER, TOKEN).GET().build());
      assertThat(both.statusCode()).as("as newer kubelets send it: header and query").isEqualTo(200);
      assertThat(rt.fixtureCount("pre_stop")).as("PreStop once").isEqualTo(1);
    }
  }

  @Test
  void theSecretIsNotInTheEnvironmentOfTheUsersCodeNorOfItsChildren() throws Exception {
    Map<String, String> files = Map.of("peek.py", String.join("\n",
        "import os, subprocess, sys",
        "def handler(event, context):",
        "    child = subprocess.run([sys.executable, '-c', 'import os; print(dict(os.environ))'],",
        "                           capture_output=True, text=True).stdout",
        "    return {'inEnviron': 'FC_LIFECYCLE_TOKEN' in os.environ, 'child': child}",
        ""));
    try (RuntimeProcess rt = RuntimeProcess.start(tmp, env("FC_FUNCTION_HANDLER", "peek.handler"), files)) {
      rt.awaitStartup();
      JsonNode seen = RuntimeProcess.JSON.readTree(rt.invoke("x").body());
      assertThat(seen.path("inEnviron").asBoolean(true)).isFalse();
      assertThat(seen.path("child").asText()).contains("FC_FUNCTION_HANDLER").doesNotContain(TOKEN);
    }
  }

  @ParameterizedTest(name = "FC_LIFECYCLE_TOKEN=\"{0}\"")
  @ValueSource(strings = {"", "short-token", LifecycleEndpoints.TOKEN_PLACEHOLDER,
      "a token with spaces in it that is long enough", "tok\u00e9n-with-a-letter-outside-base64url-xxxxxxxx"})
  void theRuntimeRefusesToStartWithoutAUsableSecret(String token) throws Exception {
    try (RuntimeProcess rt = RuntimeProcess.start(tmp,
        env("FC_FUNCTION_HANDLER", "handlers.by_type", RuntimeEnv.LIFECYCLE_TOKEN, token.isEmpty() ? null : token))) {
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
