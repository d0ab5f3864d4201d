package dev.fc.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code local} with code and variables that would change the runtime if it were not isolated
 * (docs/runtime-contract.md, "Isolation"): a sitecustomize.py used to run twice (in local's setpgid wrapper, then in
 * the runtime), a json.py or uuid.py to replace the runtime's own, PYTHONHOME to stop Python from starting at all.
 */
class LocalIsolationTest {
  static final String MARKER = "marker: user module ran: ";
  /** Files named like modules the runtime or the interpreter's start would take, each saying it ran. */
  static final List<String> SHADOWS = List.of("sitecustomize", "usercustomize", "startup", "json", "uuid", "socket",
      "threading", "traceback", "ast", "tokenize", "hmac", "signal", "logging", "http", "email", "urllib");
  /** Files named like the runtime's modules: the user's own, which the user's code imports. */
  static final List<String> RUNTIME_NAMES = List.of("bootstrap", "fc_log", "fc_http", "fc_main", "fc_loader");

  @TempDir Path tmp;

  @Test
  void filesAndPythonVariablesOfTheUsersChangeNeitherLocalNorTheRuntime() throws IOException {
    Map<String, String> files = new LinkedHashMap<>();
    for (String name : SHADOWS) {
      files.put(name + ".py", "import sys\nsys.stderr.write('" + MARKER + name + "\\n')\n");
    }
    for (String name : RUNTIME_NAMES) {
      files.put("python/" + name + ".py", "MINE = '" + name + "'\n");
    }
    files.put("index.py", String.join("\n",
        "import importlib",
        "",
        "",
        "def initialize(context):",
        "    print('marker: initialize ' + context.request_id)",
        "",
        "",
        "def handler(event, context):",
        "    mine = [importlib.import_module(n).MINE for n in " + RUNTIME_NAMES.stream()
            .map(n -> "'" + n + "'").collect(Collectors.joining(", ", "[", "]")) + "]",
        "    return ' '.join([context.request_id] + mine)",
        "",
        "",
        "def pre_stop(context):",
        "    print('marker: pre_stop')",
        ""));
    Map<String, String> env = Map.of(
        "PYTHONHOME", "/nonexistent-python-home",
        "PYTHONSTARTUP", "/code/startup.py",
        "PYTHONINSPECT", "1",
        "PYTHONVERBOSE", "1",
        "PYTHONWARNINGS", "error",
        "PYTHONOPTIMIZE", "2",
        "PYTHONDEVMODE", "1");

    LocalRun run = LocalRun.of(fixture(files, env).toString(), "--invoke", "a");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).matches(LocalCommandTest.ID + " " + String.join(" ", RUNTIME_NAMES) + "\n");
    assertThat(run.errLines()).as("none of the user's modules ran, in local's wrapper or the runtime")
        .noneMatch(l -> l.startsWith(MARKER));
    assertThat(run.errLines()).as("no line of PYTHONVERBOSE, no warning turned error")
        .noneMatch(l -> l.startsWith("import ") || l.startsWith("# ") || l.contains("Warning"));
    assertThat(run.count(Pattern.compile("marker: initialize " + LocalCommandTest.ID))).isEqualTo(1);
    assertThat(run.count(Pattern.compile("FC (Initialize|Invoke|PreStop) (Start|End) RequestId: "
        + LocalCommandTest.ID))).isEqualTo(6);
    assertThat(run.errLines()).anySatisfy(l -> assertThat(l)
        .matches("\\[kubelet\\] preStop hook returned HTTP 200 .*\\{\"status\": \"succeeded\".*"));
  }

  private Path fixture(Map<String, String> files, Map<String, String> env) throws IOException {
    String inline = files.entrySet().stream()
        .map(f -> "      " + f.getKey() + ": |\n" + f.getValue().lines().map(l -> l.isEmpty() ? "" : "        " + l)
            .collect(Collectors.joining("\n")) + "\n")
        .collect(Collectors.joining());
    String variables = env.entrySet().stream().map(e -> "    " + e.getKey() + ": \"" + e.getValue() + "\"\n")
        .collect(Collectors.joining());
    String yaml = "apiVersion: fc.dev/v1alpha1\nkind: FunctionInstance\nmetadata:\n  name: hostile\nspec:\n"
        + "  handler: index.handler\n  timeout: 2\n"
        + "  instanceLifecycleConfig:\n    initializer: {handler: index.initialize, timeout: 2}\n"
        + "    preStop: {handler: index.pre_stop, timeout: 2}\n"
        + "  environmentVariables:\n" + variables
        + "  code:\n    inline:\n" + inline;
    return Files.writeString(tmp.resolve("hostile.yaml"), yaml);
  }
}
