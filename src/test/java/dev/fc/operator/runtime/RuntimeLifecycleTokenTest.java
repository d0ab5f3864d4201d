package dev.fc.operator.runtime;

import static dev.fc.operator.runtime.RuntimeProcess.TOKEN;
import static dev.fc.operator.runtime.RuntimeProcess.env;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fc.operator.contract.LifecycleEndpoints;
import dev.fc.operator.contract.RuntimeEnv;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Python runtime's side of the lifecycle secret (docs/runtime-contract.md, "Threat model"): it is kept from the
 * user's code and its children, and the runtime refuses to start without a usable one. That every lifecycle
 * request without it is refused 403 and changes nothing is the contract's, checked against every runtime by
 * {@link ContractConformanceTest}.
 */
class RuntimeLifecycleTokenTest {

  @TempDir Path tmp;

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
