package dev.fc.operator.runtime;

import static dev.fc.operator.runtime.RuntimeProcess.TOKEN;
import static dev.fc.operator.runtime.RuntimeProcess.env;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Python runtime's side of the lifecycle secret (docs/runtime-contract.md, "Threat model"): it is kept from the
 * user's code and its children. That every lifecycle request without it is refused 403 and changes nothing, and
 * that no runtime starts without a usable one, are the contract's, checked against every runtime by
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
}
