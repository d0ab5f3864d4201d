package dev.fc.operator.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fc.operator.contract.LifecycleEndpoints;
import dev.fc.operator.contract.RuntimeContainer;
import dev.fc.operator.contract.RuntimeEnv;
import dev.fc.operator.contract.RuntimePaths;
import dev.fc.operator.local.FreePorts;
import dev.fc.operator.local.LinePump;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The real Python runtime in a child process, started by the pod's command ({@code python3 -I
 * src/main/resources/fc-runtime/bootstrap.py}), with the fixtures of {@code src/test/resources/runtime-fixtures}
 * as its code, free ports, a lifecycle secret ({@link #TOKEN}, which {@link #get} sends as the kubelet does), and
 * stdout (stderr merged) collected line by line. Public for the gateway's tests, which route to real runtimes.
 */
public final class RuntimeProcess implements AutoCloseable {

  static final Path RUNTIME_DIR = Path.of("src/main/resources/fc-runtime");
  /** The Node.js runtime's files, which the pod mounts at the same place as the Python runtime's. */
  static final Path NODE_RUNTIME_DIR = Path.of("src/main/resources/fc-runtime-node");
  static final Path FIXTURES = Path.of("src/test/resources/runtime-fixtures");
  public static final Duration DEADLINE = Duration.ofSeconds(10);
  static final ObjectMapper JSON = new ObjectMapper();
  /** The pod's lifecycle secret, as the operator would issue it. */
  public static final String TOKEN = "Zm9yLXRlc3RzLW9ubHktNDMtY2hhcmFjdGVycy1sb25n";
  static final Pattern UUID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  final Path code;
  public final int invokePort;
  public final int lifecyclePort;
  final Path out;
  public final Path terminationLog;
  private final Process process;
  /** Reads the runtime's output until it closes; joined by {@link #awaitExit()} so no line is missed. */
  private final Thread reader;
  private final List<String> lines = new ArrayList<>();
  /** When each of {@link #lines} arrived, {@link System#nanoTime()}: the runtime writes unbuffered. */
  private final List<Long> arrivals = new ArrayList<>();

  private RuntimeProcess(Path dir, Map<String, String> env, Map<String, String> files, List<String> command)
      throws IOException {
    Path code = Files.createDirectories(dir.resolve("code"));
    try (Stream<Path> fixtures = Files.list(FIXTURES)) {
      for (Path f : (Iterable<Path>) fixtures::iterator) {
        Files.copy(f, code.resolve(f.getFileName().toString()));
      }
    }
    for (Map.Entry<String, String> file : files.entrySet()) {
      Path target = code.resolve(file.getKey());
      Files.createDirectories(target.getParent());
      Files.writeString(target, file.getValue());
    }
    this.code = code;
    out = Files.createDirectories(dir.resolve("out"));
    terminationLog = dir.resolve("termination-log");
    int[] ports = FreePorts.pick(2);
    invokePort = ports[0];
    lifecyclePort = ports[1];

    ProcessBuilder pb =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .directory(code.toFile()); // the pod's working directory is /code
    Map<String, String> e = pb.environment();
    String path = e.get("PATH");
    e.clear();
    e.put("PATH", path);
    e.put(RuntimeEnv.PYTHONDONTWRITEBYTECODE, "1");
    e.put(RuntimeEnv.PYTHONPATH, code.toString());
    e.put(RuntimeEnv.FUNC_CODE_PATH, code + "/");
    e.put(RuntimeEnv.FUNCTION_NAME, "fixture-fn");
    e.put(RuntimeEnv.SERVICE_NAME, "fixture-ns");
    e.put(RuntimeEnv.QUALIFIER, RuntimeEnv.LATEST_QUALIFIER);
    e.put(RuntimeEnv.SERVER_PORT, Integer.toString(invokePort));
    e.put(RuntimeEnv.LIFECYCLE_PORT, Integer.toString(lifecyclePort));
    e.put(RuntimeEnv.TERMINATION_MESSAGE_PATH, terminationLog.toString());
    e.put(RuntimeEnv.LIFECYCLE_TOKEN, TOKEN);
    e.put("FIXTURE_OUT", out.toString());
    env.forEach((name, value) -> {
      if (value == null || value.isEmpty()) {
        e.remove(name); // a default of the harness left out
      } else {
        e.put(name, value);
      }
    });
    process = pb.start();
    reader = LinePump.start(process.getInputStream(), this::addLine, "runtime-stdout");
  }

  /** The pod's command, its runtime folder this project's. */
  static List<String> command() {
    return local(RuntimeContainer.COMMAND);
  }

  /** The adapter container's command, its runtime folder this project's. */
  static List<String> adapterCommand() {
    return local(RuntimeContainer.ADAPTER_COMMAND);
  }

  /** The Node.js runtime's command, its runtime folder this project's. */
  static List<String> nodeCommand() {
    return local(RuntimeContainer.NODE_COMMAND, NODE_RUNTIME_DIR);
  }

  private static List<String> local(List<String> podCommand) {
    return local(podCommand, RUNTIME_DIR);
  }

  private static List<String> local(List<String> podCommand, Path runtimeDir) {
    return podCommand.stream()
        .map(arg -> arg.startsWith(RuntimePaths.RUNTIME_DIR + "/")
            ? runtimeDir.toAbsolutePath().resolve(arg.substring(RuntimePaths.RUNTIME_DIR.length() + 1)).toString()
            : arg)
        .toList();
  }

  /** Starts the runtime and waits until both its ports accept connections, or it has exited. */
  public static RuntimeProcess start(Path dir, Map<String, String> env) throws IOException {
    return start(dir, env, Map.of());
  }

  /**
   * As {@link #start(Path, Map)}, with more files in the code folder.
   *
   * @param files path in the code folder to content
   */
  public static RuntimeProcess start(Path dir, Map<String, String> env, Map<String, String> files) throws IOException {
    return start(dir, env, files, command());
  }

  /** Starts the runtime with another command than the pod's and returns at once, not waiting for its ports. */
  static RuntimeProcess launch(Path dir, Map<String, String> env, List<String> command) throws IOException {
    return new RuntimeProcess(dir, env, Map.of(), command);
  }

  /** As {@link #start(Path, Map, Map)}, with another command than the pod's. */
  static RuntimeProcess start(Path dir, Map<String, String> env, Map<String, String> files, List<String> command)
      throws IOException {
    RuntimeProcess rt = new RuntimeProcess(dir, env, files, command);
    rt.await("lifecycle port to listen", () -> {
      if (!rt.process.isAlive()) {
        return true; // it failed at once (the Initializer now starts at load): awaitExit and the output tell
      }
      return accepts(rt.lifecyclePort) && accepts(rt.invokePort);
    });
    return rt;
  }

  private static boolean accepts(int port) {
    try (java.net.Socket socket = new java.net.Socket()) {
      socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 1000);
      return true;
    } catch (IOException refused) {
      return false;
    }
  }

  /** Environment with the given key/value pairs (null values dropped). */
  public static Map<String, String> env(String... keyValues) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put(keyValues[i], keyValues[i + 1]);
    }
    return m;
  }

  private void addLine(String line) {
    synchronized (lines) {
      lines.add(line);
      arrivals.add(System.nanoTime());
      lines.notifyAll();
    }
  }

  // ---- output -------------------------------------------------------------------------------

  public List<String> lines() {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  public long count(Pattern whole) {
    return lines().stream().filter(l -> whole.matcher(l).matches()).count();
  }

  /** Waits for a line matching the whole pattern and returns it. */
  public String awaitLine(Pattern whole) {
    int index = awaitLineIndex(whole);
    return lines().get(index);
  }

  /** Waits for a line matching the whole pattern and returns when it arrived, {@link System#nanoTime()}. */
  public long awaitLineNanos(Pattern whole) {
    int index = awaitLineIndex(whole);
    synchronized (lines) {
      return arrivals.get(index);
    }
  }

  /** Waits for a line matching the whole pattern and returns its index in {@link #lines()}. */
  public int awaitLineIndex(Pattern whole) {
    long end = System.nanoTime() + DEADLINE.toNanos();
    synchronized (lines) {
      while (true) {
        for (int i = 0; i < lines.size(); i++) {
          if (whole.matcher(lines.get(i)).matches()) {
            return i;
          }
        }
        long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
        if (left <= 0) {
          throw new AssertionError("no line matching " + whole + " in:\n" + String.join("\n", lines));
        }
        try {
          lines.wait(left);
        } catch (InterruptedException ex) {
          Thread.currentThread().interrupt();
          throw new AssertionError(ex);
        }
      }
    }
  }

  // ---- process ------------------------------------------------------------------------------

  /** Waits for the process to end and returns its exit status. */
  public int awaitExit() {
    try {
      if (!process.waitFor(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("runtime still running; output:\n" + String.join("\n", lines()));
      }
      reader.join(DEADLINE.toMillis());
      return process.exitValue();
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new AssertionError(ex);
    }
  }

  public boolean alive() {
    return process.isAlive();
  }

  /** SIGTERM, as the kubelet sends it (Process.destroy() would also close the pipes we read). */
  void sigterm() {
    assertThat(process.toHandle().destroy()).as("SIGTERM sent").isTrue();
  }

  /** Sends a signal by name (STOP, CONT, ...) with kill(1), for what Process cannot send. */
  void signal(String name) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
      assertThat(kill.waitFor(DEADLINE.toMillis(), TimeUnit.MILLISECONDS) && kill.exitValue() == 0)
          .as("kill -%s sent", name).isTrue();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new AssertionError(ex);
    }
  }

  /** SIGKILL, as the kernel's out-of-memory killer or the kubelet after the grace period sends it. */
  public void sigkill() {
    process.destroyForcibly();
  }

  JsonNode terminationMessage() throws IOException {
    return JSON.readTree(Files.readAllBytes(terminationLog));
  }

  long fixtureCount(String name) throws IOException {
    return fixtureLines(name).size();
  }

  /** The lines a fixture appended to its file in FIXTURE_OUT. */
  List<String> fixtureLines(String name) throws IOException {
    Path f = out.resolve(name);
    return Files.exists(f) ? Files.readAllLines(f) : List.of();
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }

  // ---- HTTP ---------------------------------------------------------------------------------

  /** A GET on the lifecycle port as the kubelet sends it: with the pod's secret in its header. */
  HttpResponse<String> get(String lifecyclePath) {
    return send(lifecycleRequest(lifecyclePath));
  }

  public HttpResponse<String> invoke(String event, String... headers) {
    return send(invokeRequest(event, headers));
  }

  CompletableFuture<HttpResponse<String>> invokeAsync(String event, String... headers) {
    return HTTP.sendAsync(invokeRequest(event, headers), HttpResponse.BodyHandlers.ofString());
  }

  CompletableFuture<HttpResponse<String>> getAsync(String lifecyclePath) {
    return HTTP.sendAsync(lifecycleRequest(lifecyclePath), HttpResponse.BodyHandlers.ofString());
  }

  HttpRequest lifecycleRequest(String lifecyclePath) {
    return request(lifecyclePort, lifecyclePath).GET().header(LifecycleEndpoints.TOKEN_HEADER, TOKEN).build();
  }

  HttpRequest invokeRequest(String event, String... headers) {
    HttpRequest.Builder b =
        request(invokePort, "/invoke").POST(HttpRequest.BodyPublishers.ofString(event));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return b.build();
  }

  HttpRequest.Builder request(int port, String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(DEADLINE);
  }

  HttpResponse<String> send(HttpRequest request) {
    return send(request, HttpResponse.BodyHandlers.ofString());
  }

  <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body) {
    try {
      return HTTP.send(request, body);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new AssertionError(ex);
    }
  }

  /** Calls /startup once, for a runtime expected to exit: the answer may be cut by the exit. */
  public void startupExpectingExit() {
    try {
      get("/startup");
    } catch (UncheckedIOException exitedMeanwhile) {
      // the process ended while answering; the exit status and output tell the rest
    }
  }

  /** Polls /startup until the Initializer has succeeded. */
  public void awaitStartup() {
    await("/startup to answer 200", () -> get("/startup").statusCode() == 200);
  }

  /** Polls the condition until it holds, failing after {@link #DEADLINE}. */
  void await(String what, BooleanSupplier condition) {
    long end = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting for " + what + "; output:\n" + String.join("\n", lines()));
      }
      LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
    }
  }
}
