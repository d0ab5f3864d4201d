package dev.fc.operator.runtime;

import static dev.fc.operator.runtime.RuntimeProcess.env;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing of the user's changes the runtime (docs/runtime-contract.md, "Isolation"): not a file in the code
 * named like any module of the standard library or of the runtime, nor a sitecustomize.py or usercustomize.py,
 * nor a PYTHON* variable. Every such file of the user's records it when it is imported; the runtime is driven
 * through its paths (hooks, invocations of both handler types, errors, refusals, malformed requests, a timeout
 * and retirement, PreStop and SIGTERM), and none may have been imported, and every line of output must be one the
 * runtime or the user wrote. The user's code still sees FC's path order and its own modules.
 */
class RuntimeIsolationTest {
  static final String MARKERS = "imported-shadows";
  static final Pattern FC_LINE = Pattern.compile("FC (Initialize|Invoke|PreStop) (Start|End) RequestId: "
      + RuntimeProcess.UUID.pattern() + "(, Error: Unhandled function error)?");
  static final Pattern LOGGER_LINE = Pattern.compile("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} "
      + RuntimeProcess.UUID.pattern() + " \\[(info|error)\\] .*");

  /** The last line of a traceback the runtime logs. */
  static final Pattern EXCEPTION_LINE = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*: .*");

  /** Modules of the standard library, as the local python3 names them (3.10+), or as its stdlib folder holds them. */
  static List<String> stdlib;
  /** The runtime's modules, by INDEX. */
  static List<String> runtimeModules;

  @TempDir Path tmp;

  @BeforeAll
  static void names() throws Exception {
    Process p = new ProcessBuilder("python3", "-I", "-c", String.join("\n",
        "import sys",
        "names = getattr(sys, 'stdlib_module_names', None)",
        "if names is None:",
        "    import pkgutil, sysconfig",
        "    names = set(sys.builtin_module_names) | {m.name for m in pkgutil.iter_modules([sysconfig.get_paths()['stdlib']])}",
        "print('\\n'.join(sorted(n for n in names if n.isidentifier())))"))
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0).as(out).isTrue();
    stdlib = out.lines().toList();
    assertThat(stdlib).contains("json", "uuid", "socket", "threading", "ast", "traceback", "http", "email");
    runtimeModules = Files.readAllLines(RuntimeProcess.RUNTIME_DIR.resolve("INDEX")).stream()
        .map(String::strip).filter(n -> n.endsWith(".py")).map(n -> n.substring(0, n.length() - 3)).toList();
    assertThat(runtimeModules).contains("fc_log", "fc_config", "bootstrap");
  }

  static final String USER_CODE = String.join("\n",
      "import importlib",
      "import json",
      "import os",
      "import sys",
      "import mylib",
      "",
      "RUNTIME_NAMES = os.environ['RUNTIME_NAMES'].split(',')",
      "",
      "",
      "def initialize(context):",
      "    print('initializer printed \\u00e9')",
      "",
      "",
      "def handler(event, context):",
      "    if event == b'raise':",
      "        raise ValueError('handler broke')",
      "    if event == b'log':",
      "        try:",
      "            1 / 0",
      "        except ZeroDivisionError:",
      "            context.get_logger().exception('logged with its traceback')",
      "        return 'logged'",
      "    if event == b'hang':",
      "        import threading",
      "        threading.Event().wait()",
      "    mine = {n: getattr(importlib.import_module(n), 'MINE', None) for n in RUNTIME_NAMES}",
      "    print('handler printed \\u00fc')",
      "    return {'path': sys.path[:3], 'mine': mine, 'mylib': mylib.__file__, 'requestId': context.request_id}",
      "",
      "",
      "def app(environ, start_response):",
      "    if environ['PATH_INFO'] == '/raise':",
      "        raise KeyError('wsgi broke')",
      "    start_response('200 OK', [('Content-Type', 'application/json')])",
      "    return [json.dumps({'path': environ['PATH_INFO'], 'query': environ['QUERY_STRING']}).encode()]",
      "",
      "",
      "def pre_stop(context):",
      "    print('pre_stop printed')",
      "");

  /** The code folder: the user's index.py, and a file that records its import for every name it must not take. */
  Map<String, String> hostileFiles() {
    Map<String, String> files = new LinkedHashMap<>();
    String marker = "import os as _os\n"
        + "with open(_os.path.join(_os.environ['FIXTURE_OUT'], '" + MARKERS + "'), 'a') as _f:\n"
        + "    _f.write(__name__ + '\\n')\n";
    for (String name : stdlib) {
      files.put(name + ".py", marker);
    }
    files.put("sitecustomize.py", marker);
    files.put("usercustomize.py", marker);
    files.put("startup.py", marker); // PYTHONSTARTUP
    for (String name : runtimeModules) {
      files.put(name + ".py", "MINE = '" + name + "'\n");
    }
    files.put("python/mylib.py", "\n");
    files.put("index.py", USER_CODE);
    return files;
  }

  /** Every PYTHON* variable that would change the interpreter if it read them, and the user site's places. */
  Map<String, String> hostileEnv(String... more) throws IOException {
    Path home = tmp.resolve("home");
    Path userSite = home.resolve(".local/lib/python" + pythonVersion() + "/site-packages");
    Files.createDirectories(userSite);
    Files.writeString(userSite.resolve("usercustomize.py"), "import os\nopen(os.path.join(os.environ['FIXTURE_OUT'], '"
        + MARKERS + "'), 'a').write('user site usercustomize\\n')\n");
    Path code = tmp.resolve("code");
    Map<String, String> env = env(
        "PYTHONPATH", code + ":" + code.resolve("python") + ":/opt/python",
        "PYTHONHOME", tmp.resolve("no-such-python-home").toString(),
        "PYTHONSTARTUP", code.resolve("startup.py").toString(),
        "PYTHONINSPECT", "1",
        "PYTHONWARNINGS", "error",
        "PYTHONIOENCODING", "ascii:strict",
        "PYTHONVERBOSE", "1",
        "PYTHONPROFILEIMPORTTIME", "1",
        "PYTHONDEVMODE", "1",
        "PYTHONOPTIMIZE", "2",
        "PYTHONUSERBASE", home.resolve(".local").toString(),
        "HOME", home.toString(),
        "RUNTIME_NAMES", String.join(",", runtimeModules),
        "FC_INITIALIZER_HANDLER", "index.initialize",
        "FC_PRESTOP_HANDLER", "index.pre_stop",
        "FC_TIMEOUT", "1");
    for (int i = 0; i < more.length; i += 2) {
      env.put(more[i], more[i + 1]);
    }
    return env;
  }

  @Test
  void eventFunctionHooksErrorsRefusalsAndRetirementUseNothingOfTheUsers() throws Exception {
    try (RuntimeProcess rt = RuntimeProcess.start(tmp, hostileEnv("FC_FUNCTION_HANDLER", "index.handler"),
        hostileFiles())) {
      rt.awaitStartup();
      assertThat(rt.get("/ready").statusCode()).isEqualTo(200);

      HttpResponse<String> report = rt.invoke("report", "x-fc-request-id", "not a valid id, Error: x");
      assertThat(report.statusCode()).as(report.body()).isEqualTo(200);
      JsonNode seen = RuntimeProcess.JSON.readTree(report.body());
      assertThat(seen.path("requestId").asText()).as("a UUID of the standard library's uuid")
          .matches(RuntimeProcess.UUID);
      Path code = rt.code;
      assertThat(List.of(seen.path("path").get(0).asText(), seen.path("path").get(1).asText(),
          seen.path("path").get(2).asText()))
          .as("FC's path order, from PYTHONPATH").containsExactly(code.toString(), code.resolve("python").toString(),
              "/opt/python");
      assertThat(seen.path("mylib").asText()).isEqualTo(code.resolve("python/mylib.py").toString());
      for (String name : runtimeModules) {
        assertThat(seen.path("mine").path(name).asText()).as("the user's own %s.py", name).isEqualTo(name);
      }

      HttpResponse<String> raised = rt.invoke("raise");
      assertThat(raised.headers().firstValue("x-fc-error-type")).hasValue("UnhandledInvocationError");
      JsonNode error = RuntimeProcess.JSON.readTree(raised.body());
      assertThat(error.path("errorType").asText()).isEqualTo("ValueError");
      assertThat(error.path("stackTrace").toString()).contains("index.py").doesNotContain("fc-runtime");
      assertThat(rt.invoke("log").body()).isEqualTo("logged");

      String chunked = exchange(rt.invokePort, "POST /invoke HTTP/1.1\r\nHost: fc\r\nTransfer-Encoding: chunked\r\n"
          + "Expect: 100-continue\r\nConnection: close\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
      assertThat(chunked).startsWith("HTTP/1.1 100 Continue\r\n").contains("HTTP/1.1 200 ");
      assertThat(exchange(rt.invokePort, "POST /invoke HTTP/1.1\r\nHost: fc\r\nContent-Length: abc\r\n\r\n"))
          .startsWith("HTTP/1.1 400 ").contains("\"errorType\": \"BadRequest\"");
      assertThat(exchange(rt.invokePort, "POST /invoke HTTP/1.1\r\nHost: fc\r\nContent-Length: 40000000\r\n\r\n"))
          .startsWith("HTTP/1.1 413 ");
      assertThat(exchange(rt.invokePort, "GET /elsewhere HTTP/1.1\r\nHost: fc\r\nConnection: close\r\n\r\n"))
          .startsWith("HTTP/1.1 404 ");
      assertThat(exchange(rt.lifecyclePort, "GET /pre-stop HTTP/1.1\r\nHost: fc\r\nConnection: close\r\n\r\n"))
          .startsWith("HTTP/1.1 403 ");
      assertThat(exchange(rt.lifecyclePort, "GET /ready HTTP/9.9\r\n\r\n")).startsWith("HTTP/1.1 505 ");

      HttpResponse<String> hung = rt.invoke("hang");
      assertThat(hung.headers().firstValue("x-fc-error-type")).hasValue("FunctionTimeout");
      assertThat(rt.awaitExit()).as("retired after the timeout").isEqualTo(3);
      JsonNode msg = rt.terminationMessage();
      assertThat(msg.path("exitReason").asText()).isEqualTo("InvocationTimeout");
      assertThat(msg.path("preStop").path("status").asText()).isEqualTo("succeeded");
      assertNothingOfTheUsersRan(rt);
      assertThat(rt.lines()).contains("initializer printed \u00e9", "handler printed \u00fc", "pre_stop printed");
    }
  }

  @Test
  void httpFunctionPreStopAndSigtermUseNothingOfTheUsers() throws Exception {
    try (RuntimeProcess rt = RuntimeProcess.start(tmp,
        hostileEnv("FC_FUNCTION_HANDLER", "index.app", "FC_HANDLER_TYPE", "http"), hostileFiles())) {
      rt.awaitStartup();
      HttpResponse<String> answer = rt.send(rt.request(rt.invokePort, "/a%20b?q=1").header("X-Custom", "v")
          .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("body")).build());
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      assertThat(answer.body()).isEqualTo("{\"path\": \"/a b\", \"query\": \"q=1\"}");
      HttpResponse<String> raised = rt.send(rt.request(rt.invokePort, "/raise").GET().build());
      assertThat(raised.statusCode()).isEqualTo(502);
      assertThat(RuntimeProcess.JSON.readTree(raised.body()).path("errorType").asText()).isEqualTo("KeyError");

      HttpResponse<String> preStop = rt.get("//pre-stop");
      assertThat(RuntimeProcess.JSON.readTree(preStop.body()).path("status").asText()).isEqualTo("succeeded");
      rt.sigterm();
      assertThat(rt.awaitExit()).isZero();
      assertThat(rt.terminationMessage().path("exitReason").asText()).isEqualTo("Stopped");
      assertNothingOfTheUsersRan(rt);
    }
  }

  @Test
  void codeThatCannotBeLoadedIsReportedWithNothingOfTheUsersRun() throws Exception {
    Map<String, String> files = hostileFiles();
    files.put("index.py", "import os\nimport nosuchmodule\n");
    try (RuntimeProcess rt = RuntimeProcess.start(tmp, hostileEnv("FC_FUNCTION_HANDLER", "index.handler"), files)) {
      rt.startupExpectingExit();
      assertThat(rt.awaitExit()).isEqualTo(1);
      assertThat(rt.terminationMessage().path("message").asText())
          .contains("No module named 'nosuchmodule'", rt.code.resolve("index.py") + " line 2");
      assertNothingOfTheUsersRan(rt);
    }
  }

  @Test
  void aHandlerFileNamedLikeAModuleTheRuntimeImportedIsRefusedWithTheFix() throws Exception {
    try (RuntimeProcess rt = RuntimeProcess.start(tmp, env("FC_FUNCTION_HANDLER", "json.handler"),
        Map.of("json.py", "def handler(event, context):\n    return 'mine'\n"))) {
      rt.startupExpectingExit();
      assertThat(rt.awaitExit()).isEqualTo(1);
      assertThat(rt.terminationMessage().path("error").asText())
          .startsWith("Handler \"json.handler\": " + rt.code.resolve("json.py") + " cannot be module \"json\"")
          .contains("rename the file");
    }
  }

  @Test
  void theRuntimeRefusesToStartOutsidePythonsIsolatedMode() throws Exception {
    List<String> notIsolated = new ArrayList<>(RuntimeProcess.command());
    notIsolated.remove("-I");
    try (RuntimeProcess rt = RuntimeProcess.start(tmp, env("FC_FUNCTION_HANDLER", "handlers.by_type"), Map.of(),
        notIsolated)) {
      assertThat(rt.awaitExit()).isEqualTo(4);
      JsonNode msg = rt.terminationMessage();
      assertThat(msg.path("exitReason").asText()).isEqualTo("RuntimeFailed");
      assertThat(msg.path("message").asText()).startsWith("the runtime must run in Python's isolated mode")
          .contains("python3 -I ");
    }
  }

  private static void assertNothingOfTheUsersRan(RuntimeProcess rt) throws IOException {
    Path markers = rt.out.resolve(MARKERS);
    assertThat(Files.exists(markers) ? Files.readAllLines(markers) : List.of())
        .as("modules of the user's imported in place of the runtime's, or run at the interpreter's start").isEmpty();
    assertThat(rt.lines()).as("only lines the runtime or the user wrote (no verbose import lines, no traceback "
        + "of a PYTHON* variable's doing)").allMatch(l -> FC_LINE.matcher(l).matches()
        || LOGGER_LINE.matcher(l).matches() || l.startsWith("fc-runtime: ") || l.endsWith(" printed")
        || l.matches("(initializer|handler) printed .") || l.equals("Traceback (most recent call last):")
        || l.startsWith("  ") || EXCEPTION_LINE.matcher(l).matches());
  }

  private static String pythonVersion() throws IOException {
    try {
      Process p = new ProcessBuilder("python3", "-I", "-c",
          "import sys; print('%d.%d' % sys.version_info[:2])").start();
      String version = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
      p.waitFor(10, TimeUnit.SECONDS);
      return version;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  /** Sends raw bytes and reads until the server closes the connection. */
  static String exchange(int port, String request) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
      socket.setSoTimeout((int) RuntimeProcess.DEADLINE.toMillis());
      socket.getOutputStream().write(request.getBytes(ISO_8859_1));
      socket.getOutputStream().flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      in.transferTo(answer);
      return answer.toString(ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
