package dev.fc.operator.runtime;

import static dev.fc.operator.runtime.RuntimeProcess.env;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Code that cannot be loaded: the first line of the error, which is the termination message's one line and so
 * what {@code local} and the operator show, names what went wrong (the missing module, the name, the syntax
 * error), the file and the line, wherever in the user's modules it arose.
 */
class RuntimeCodeLoadingTest {
  @TempDir Path tmp;

  /** A broken module: its files, and what the first line of the error must name besides file and line. */
  record Broken(String name, Map<String, String> files, String file, int line, List<String> names) {
    @Override
    public String toString() {
      return name;
    }
  }

  static final String HANDLER = "def handler(event, context):\n    return 'never'\n\n\ndef initialize(context):\n    pass\n";

  static Stream<Broken> brokenCode() {
    return Stream.of(
        new Broken("a module index.py imports is missing",
            Map.of("index.py", "import os\nimport nosuchmodule\n" + HANDLER), "index.py", 2,
            List.of("ModuleNotFoundError", "No module named 'nosuchmodule'")),
        new Broken("a module that a module of index.py imports is missing",
            Map.of("index.py", "import helper\n" + HANDLER, "helper.py", "\n\n\nimport pymysql_missing\n"),
            "helper.py", 4, List.of("No module named 'pymysql_missing'")),
        new Broken("a name imported from a module that lacks it",
            Map.of("index.py", "\nfrom os import nosuchname\n" + HANDLER), "index.py", 2,
            List.of("ImportError", "cannot import name 'nosuchname'")),
        new Broken("a missing module imported by a module in a folder on PYTHONPATH",
            Map.of("index.py", "import libmod\n" + HANDLER, "python/libmod.py", "import yaml_missing_too\n"),
            "python/libmod.py", 1, List.of("No module named 'yaml_missing_too'")),
        new Broken("a syntax error in a module index.py imports",
            Map.of("index.py", "import helper\n" + HANDLER, "helper.py", "x = 1\ndef f(:\n    pass\n"),
            "helper.py", 2, List.of("SyntaxError")),
        new Broken("an indentation error in index.py",
            Map.of("index.py", "x = 1\n  y = 2\n" + HANDLER), "index.py", 2, List.of("IndentationError")),
        new Broken("a name error at the top of index.py",
            Map.of("index.py", "import os\n\nvalue = undefined_name + 1\n" + HANDLER), "index.py", 3,
            List.of("NameError", "undefined_name")),
        new Broken("an exception raised inside the standard library at the top of a module",
            Map.of("index.py", "import helper\n" + HANDLER, "helper.py", "import json\nCONFIG = json.loads('{')\n"),
            "helper.py", 2, List.of("JSONDecodeError")));
  }

  static Stream<Arguments> brokenCodeWithAndWithoutInitializer() {
    return brokenCode().flatMap(b -> Stream.of(Arguments.of(b, true), Arguments.of(b, false)));
  }

  @ParameterizedTest(name = "{0}, Initializer configured: {1}")
  @MethodSource("brokenCodeWithAndWithoutInitializer")
  void theErrorsFirstLineNamesTheCauseTheFileAndTheLine(Broken broken, boolean initializer) throws Exception {
    Map<String, String> env = env("FC_FUNCTION_HANDLER", "index.handler");
    if (initializer) {
      env.put("FC_INITIALIZER_HANDLER", "index.initialize");
    }
    try (RuntimeProcess rt = RuntimeProcess.start(tmp, withPythonFolder(env), broken.files())) {
      rt.startupExpectingExit();
      assertThat(rt.awaitExit()).isEqualTo(1);
      String where = rt.code.resolve(broken.file()) + " line " + broken.line();
      JsonNode msg = rt.terminationMessage();
      assertThat(msg.path("exitReason").asText()).isEqualTo("InitializerFailed");
      String message = msg.path("message").asText();
      assertThat(message).startsWith("Could not load the function code: ").contains(broken.names());
      assertThat(message).contains(where);
      String error = initializer ? msg.path("initializer").path("error").asText() : msg.path("error").asText();
      String firstLine = error.split("\n", 2)[0];
      assertThat(firstLine).contains(broken.names()).contains(where);
      assertThat(error).as("no frame of the runtime or of importlib").doesNotContain("fc-runtime", "importlib");
      String logged = rt.lines().stream().filter(l -> l.contains("[error] ")).findFirst().orElseThrow();
      assertThat(logged).as("the log's line").contains(broken.names()).contains(where);
    }
  }

  private Map<String, String> withPythonFolder(Map<String, String> env) {
    env.put("PYTHONPATH", tmp.resolve("code") + ":" + tmp.resolve("code/python"));
    return env;
  }
}
