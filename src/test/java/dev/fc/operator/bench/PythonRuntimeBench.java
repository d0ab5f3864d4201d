package dev.fc.operator.bench;

import dev.fc.operator.contract.LifecycleEndpoints;
import dev.fc.operator.contract.RuntimeEnv;
import dev.fc.operator.local.FreePorts;
import dev.fc.operator.local.LinePump;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * P4: the Python runtime's overhead. Invocation round trips (p50, p99) against a bare stdlib echo
 * server ({@code src/test/resources/bench/echo_server.py}, the same http.server classes as the
 * runtime's) in the same run: one Java HTTP/1.1 client with keep-alive for both, the same payload,
 * 2000 sequential requests per server and run after a warm-up, the two servers taking turns
 * request by request. Then start-up: process start until the lifecycle port answers {@code /startup}, and
 * until the Initializer (started by that first answer) begins.
 */
class PythonRuntimeBench {
  /** The runtime's folder; -Dbench.runtime=DIR measures another version of it (a what-if). */
  static final Path RUNTIME = Path.of(System.getProperty("bench.runtime", "src/main/resources/fc-runtime"))
      .resolve("bootstrap.py");
  static final Path ECHO = Path.of("src/test/resources/bench/echo_server.py");
  static final Path CODE = Path.of("src/test/resources/bench/code").toAbsolutePath();
  /** Runs and requests per run; -Dbench.runs and -Dbench.requests change them (e.g. for a quick look). */
  static final int RUNS = Integer.getInteger("bench.runs", 7);
  static final int REQUESTS = Integer.getInteger("bench.requests", 2000);
  /** Enough for the JIT to settle the Java client's code, the same for both servers. */
  static final int WARMUP = REQUESTS;
  static final int STARTS = RUNS;
  /** A small JSON event, as FC events usually are. */
  static final byte[] PAYLOAD =
      "{\"user\": \"alice\", \"action\": \"resize\", \"width\": 640, \"height\": 480, \"id\": 12345}"
          .getBytes(StandardCharsets.UTF_8);
  static final double GOAL_P50_RATIO = 1.2;
  /** hooks.md: the startup probe's window allows 10 s to start Python and load the code. */
  static final double START_BUDGET_MS = 10_000;
  static final Duration DEADLINE = Duration.ofSeconds(20);
  /** The lifecycle port's secret, sent as the kubelet sends it. */
  static final String TOKEN = "YmVuY2gtdG9rZW4tb2YtNDMtY2hhcmFjdGVycy14eHh4";

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Test
  void runtimeOverhead() throws Exception {
    BenchReport report = new BenchReport("runtime-overhead");
    report.line("python: " + Server.pythonVersion() + "; runtime: " + RUNTIME.getParent());
    roundTrips(report);
    startUp(report);
    report.write();
  }

  // ---- round trips ------------------------------------------------------------------------------

  private void roundTrips(BenchReport report) throws Exception {
    List<Double> runtimeP50 = new ArrayList<>();
    List<Double> runtimeP99 = new ArrayList<>();
    List<Double> echoP50 = new ArrayList<>();
    List<Double> echoP99 = new ArrayList<>();
    List<Double> ratioP50 = new ArrayList<>();
    List<Double> ratioP99 = new ArrayList<>();
    try (Server runtime = Server.runtime(); Server echo = Server.echo()) {
      runtime.awaitStatus("/startup", 200);
      echo.awaitStatus("/", 200);
      URI runtimeUri = runtime.invokeUri("/invoke");
      URI echoUri = echo.invokeUri("/");
      alternating(runtimeUri, echoUri, WARMUP);
      report.line("round trips: %d runs of %d sequential POSTs of %d bytes per server, the servers taking turns"
          + " request by request, after %d warm-up ones; one keep-alive connection each", RUNS, REQUESTS,
          PAYLOAD.length, WARMUP);
      for (int run = 1; run <= RUNS; run++) {
        Stats[] both = alternating(runtimeUri, echoUri, REQUESTS);
        Stats r = both[0];
        Stats e = both[1];
        runtimeP50.add(r.percentile(50));
        runtimeP99.add(r.percentile(99));
        echoP50.add(e.percentile(50));
        echoP99.add(e.percentile(99));
        ratioP50.add(r.percentile(50) / e.percentile(50));
        ratioP99.add(r.percentile(99) / e.percentile(99));
        report.line("run %d: runtime p50 %s µs p99 %s µs | echo p50 %s µs p99 %s µs | p50 ratio %.2f"
                + " | load %s", run, Stats.format(r.percentile(50)), Stats.format(r.percentile(99)),
            Stats.format(e.percentile(50)), Stats.format(e.percentile(99)), ratioP50.get(run - 1),
            BenchReport.loadAverage());
      }
    }
    report.line(Stats.header());
    report.line(Stats.of(runtimeP50).row("runtime round trip p50", "µs", "", 0));
    report.line(Stats.of(echoP50).row("echo round trip p50", "µs", "", 0));
    report.line(Stats.of(runtimeP99).row("runtime round trip p99", "µs", "", 0));
    report.line(Stats.of(echoP99).row("echo round trip p99", "µs", "", 0));
    report.line(Stats.of(ratioP50).row("p50 runtime / echo", "×", "≤ 1.2×", GOAL_P50_RATIO));
    report.line(Stats.of(ratioP99).row("p99 runtime / echo", "×", "", 0));
  }

  /**
   * {@code count} round trips to each of a and b, in microseconds, taking turns request by request (so that
   * both see the same moments of a busy machine), the first of each pair alternating too.
   */
  private Stats[] alternating(URI a, URI b, int count) throws Exception {
    double[] microsA = new double[count];
    double[] microsB = new double[count];
    for (int i = 0; i < count; i++) {
      if (i % 2 == 0) {
        microsA[i] = roundTrip(a);
        microsB[i] = roundTrip(b);
      } else {
        microsB[i] = roundTrip(b);
        microsA[i] = roundTrip(a);
      }
    }
    return new Stats[] {Stats.of(microsA), Stats.of(microsB)};
  }

  /** One round trip in microseconds, checked: status 200, the payload echoed. */
  private double roundTrip(URI uri) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofByteArray(PAYLOAD))
        .timeout(DEADLINE).build();
    long t0 = System.nanoTime();
    HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    long t1 = System.nanoTime();
    if (response.statusCode() != 200 || !Arrays.equals(response.body(), PAYLOAD)) {
      throw new AssertionError(uri + " answered " + response.statusCode() + ": "
          + new String(response.body(), StandardCharsets.UTF_8));
    }
    return (t1 - t0) / 1e3;
  }

  // ---- start-up ---------------------------------------------------------------------------------

  private void startUp(BenchReport report) throws Exception {
    List<Double> echoAnswers = new ArrayList<>();
    List<Double> runtimeAnswers = new ArrayList<>();
    List<Double> initializerStarted = new ArrayList<>();
    for (int run = 1; run <= STARTS; run++) {
      try (Server echo = Server.echo()) {
        echoAnswers.add(millis(echo.awaitAnswer("/") - echo.startedNanos));
      }
      try (Server runtime = Server.runtime()) {
        long answered = runtime.awaitAnswer("/startup"); // the first answer starts the Initializer
        long initializer = runtime.initializerStarted();
        runtimeAnswers.add(millis(answered - runtime.startedNanos));
        initializerStarted.add(millis(initializer - runtime.startedNanos));
        report.line("start %d: runtime port answers %.1f ms, Initializer started %.1f ms | echo port answers"
                + " %.1f ms | load %s", run, runtimeAnswers.get(run - 1), initializerStarted.get(run - 1),
            echoAnswers.get(run - 1), BenchReport.loadAverage());
      }
    }
    report.line(Stats.header());
    report.line(Stats.of(runtimeAnswers).row("runtime: process start → lifecycle port answers /startup", "ms",
        "", 0));
    report.line(Stats.of(initializerStarted).row("runtime: process start → Initializer started", "ms",
        "≤ 10 s (hooks.md)", START_BUDGET_MS));
    report.line(Stats.of(echoAnswers).row("echo: process start → port answers (reference)", "ms", "", 0));
  }

  private static double millis(long nanos) {
    return nanos / 1e6;
  }

  // ---- the two servers --------------------------------------------------------------------------

  /** python3 running the runtime (with bench_fn as its code) or the echo server, on free ports. */
  private static final class Server implements AutoCloseable {
    private static final String INITIALIZER_LINE = "bench: initializer started at ";

    final int port;
    final int lifecyclePort;
    final long startedNanos;
    private final Process process;
    private final Deque<String> lastLines = new ArrayDeque<>();
    private Long initializerNanos;

    private Server(List<String> command, Map<String, String> env, int port, int lifecyclePort) throws IOException {
      this.port = port;
      this.lifecyclePort = lifecyclePort;
      ProcessBuilder pb = new ProcessBuilder(command);
      String path = pb.environment().get("PATH");
      pb.environment().clear();
      pb.environment().put("PATH", path);
      pb.environment().putAll(env);
      startedNanos = System.nanoTime();
      process = pb.start();
      // As the container runtime does, something reads the output; the runtime writes 2 lines per invocation.
      LinePump.start(process.getInputStream(), this::line, "bench-python-stdout");
      LinePump.start(process.getErrorStream(), this::line, "bench-python-stderr");
    }

    static Server runtime() throws IOException {
      int[] ports = FreePorts.pick(2);
      return new Server(List.of("python3", "-I", RUNTIME.toString()), Map.of( // the pod's command
          "PYTHONUNBUFFERED", "1", // as the pod sets them
          "PYTHONDONTWRITEBYTECODE", "1",
          "PYTHONPATH", CODE.toString(),
          "FC_FUNC_CODE_PATH", CODE + "/",
          "FC_FUNCTION_NAME", "bench",
          "FC_FUNCTION_HANDLER", "bench_fn.handler",
          "FC_INITIALIZER_HANDLER", "bench_fn.initialize",
          "FC_SERVER_PORT", Integer.toString(ports[0]),
          "FC_LIFECYCLE_PORT", Integer.toString(ports[1]),
          RuntimeEnv.LIFECYCLE_TOKEN, TOKEN), ports[0], ports[1]);
    }

    static Server echo() throws IOException {
      int port = FreePorts.pick(1)[0];
      return new Server(List.of("python3", ECHO.toString(), Integer.toString(port)),
          Map.of("PYTHONUNBUFFERED", "1", "PYTHONDONTWRITEBYTECODE", "1"), port, port);
    }

    static String pythonVersion() throws IOException, InterruptedException {
      Process p = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
      String version = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      p.waitFor();
      return version;
    }

    URI invokeUri(String path) {
      return URI.create("http://127.0.0.1:" + port + path);
    }

    private synchronized void line(String line) {
      if (line.startsWith(INITIALIZER_LINE)) {
        initializerNanos = Long.parseLong(line.substring(INITIALIZER_LINE.length()).strip());
        notifyAll();
      }
      lastLines.addLast(line);
      if (lastLines.size() > 50) {
        lastLines.removeFirst();
      }
    }

    /** The Initializer's own CLOCK_MONOTONIC reading when it began (System.nanoTime()'s clock on Linux). */
    synchronized long initializerStarted() throws InterruptedException {
      long end = System.nanoTime() + DEADLINE.toNanos();
      while (initializerNanos == null) {
        long left = end - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("no Initializer line; output:\n" + String.join("\n", lastLines));
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
      return initializerNanos;
    }

    /** Polls (every 0.2 ms) until a GET of the lifecycle port answers at all; the moment its status line came. */
    long awaitAnswer(String path) {
      long end = System.nanoTime() + DEADLINE.toNanos();
      while (true) {
        try {
          return get(path).nanos();
        } catch (IOException notYet) {
          if (!process.isAlive() || System.nanoTime() > end) {
            throw new AssertionError("no answer on port " + lifecyclePort + "; output:\n"
                + String.join("\n", lastLines));
          }
          LockSupport.parkNanos(200_000);
        }
      }
    }

    /** Polls until GET path answers the status. */
    void awaitStatus(String path, int status) throws InterruptedException {
      long end = System.nanoTime() + DEADLINE.toNanos();
      while (true) {
        try {
          if (get(path).status() == status) {
            return;
          }
        } catch (IOException notYet) {
          // not listening yet
        }
        if (!process.isAlive() || System.nanoTime() > end) {
          throw new AssertionError("no " + status + " on " + path + "; output:\n" + String.join("\n", lastLines));
        }
        Thread.sleep(10);
      }
    }

    record Answer(int status, long nanos) {}

    /** A bare HTTP/1.1 GET with Connection: close on the lifecycle port: its status, and when its status line came. */
    private Answer get(String path) throws IOException {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", lifecyclePort), 1000);
        socket.setSoTimeout(5000);
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + LifecycleEndpoints.TOKEN_HEADER + ": " + TOKEN
            + "\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        StringBuilder status = new StringBuilder();
        for (int c; (c = in.read()) != -1 && c != '\n'; ) {
          status.append((char) c);
        }
        long nanos = System.nanoTime();
        String[] parts = status.toString().split(" ");
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
          throw new IOException("no status line: " + status);
        }
        in.readAllBytes(); // to the server's close, so that it never writes to a closed socket
        return new Answer(Integer.parseInt(parts[1]), nanos);
      }
    }

    @Override
    public void close() throws InterruptedException {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
