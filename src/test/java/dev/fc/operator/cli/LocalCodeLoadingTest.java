package dev.fc.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code local} with code that cannot be loaded: its last line (the termination message's one line) and the
 * runtime's log line name what went wrong (the missing module, the syntax error), the file and the line. Before,
 * the last line of a failed import said only "importing /code/index.py failed".
 */
class LocalCodeLoadingTest {
  @TempDir Path tmp;

  /** Inline files, whether an Initializer is configured, and what the last line must name after the file's path. */
  record Broken(String name, Map<String, String> files, boolean initializer, String where, String cause) {
    @Override
    public String toString() {
      return name;
    }
  }

  static final String FUNCTIONS = "def initialize(context):\n    pass\n\n\ndef handler(event, context):\n"
      + "    return 'never'\n";

  static Stream<Broken> brokenCode() {
    return Stream.of(
        new Broken("a missing module in index.py, an Initializer configured",
            Map.of("index.py", "import os\nimport nosuchmodule\n" + FUNCTIONS), true,
            "index.py line 2", "ModuleNotFoundError: No module named 'nosuchmodule'"),
        new Broken("a missing module in a module of python/, no Initializer",
            Map.of("index.py", "import lib\n" + FUNCTIONS, "python/lib.py", "\n\nimport pymysql_not_installed\n"),
            false, "python/lib.py line 3", "ModuleNotFoundError: No module named 'pymysql_not_installed'"),
        new Broken("a syntax error in a module index.py imports",
            Map.of("index.py", "import helper\n" + FUNCTIONS, "helper.py", "x = 1\ndef f(:\n    pass\n"), true,
            "helper.py line 2", "SyntaxError: "),
        new Broken("a name index.py imports from a module that lacks it",
            Map.of("index.py", "from os import nosuchname\n" + FUNCTIONS), false,
            "index.py line 1", "ImportError: cannot import name 'nosuchname' from 'os'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenCode")
  void theLastLineAndTheLogNameTheCauseTheFileAndTheLine(Broken broken) throws IOException {
    LocalRun run = LocalRun.of(fixture(broken).toString(), "--invoke", "a");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.FAILED);
    String what = broken.initializer() ? "Initializer \"index.initialize\"" : "Handler \"index.handler\"";
    String place = "\\S+/" + Pattern.quote(broken.where());
    assertThat(run.lastLine()).matches(Pattern.quote("[local] exit 1 (instance failed): the container exited with "
        + "status 1: Could not load the function code: " + what + ": ") + place + Pattern.quote(": "
        + broken.cause()) + ".*");
    assertThat(run.errLines()).as("the runtime's log line").anySatisfy(l -> assertThat(l)
        .matches(".* \\[error\\] " + Pattern.quote(what + ": ") + place + Pattern.quote(": " + broken.cause()) + ".*"));
  }

  private Path fixture(Broken broken) throws IOException {
    String files = broken.files().entrySet().stream()
        .map(f -> "      " + f.getKey() + ": |\n" + f.getValue().lines().map(l -> l.isEmpty() ? "" : "        " + l)
            .collect(Collectors.joining("\n")) + "\n")
        .collect(Collectors.joining());
    String yaml = "apiVersion: fc.dev/v1alpha1\nkind: FunctionInstance\nmetadata:\n  name: broken\nspec:\n"
        + "  handler: index.handler\n  timeout: 1\n"
        + (broken.initializer() ? "  instanceLifecycleConfig:\n    initializer: {handler: index.initialize, timeout: 2}\n"
            : "")
        + "  code:\n    inline:\n" + files;
    return Files.writeString(tmp.resolve("broken.yaml"), yaml);
  }
}
