package dev.fc.operator.runtime;

import static dev.fc.operator.runtime.RuntimeProcess.env;

import dev.fc.operator.bench.BenchReport;
import dev.fc.operator.bench.Stats;
import dev.fc.operator.local.FreePorts;
import dev.fc.operator.runtime.RuntimeHttpHardeningTest.Answer;
import dev.fc.operator.runtime.RuntimeHttpHardeningTest.Client;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Node.js runtime's invocation round trip (POST /invoke to an async echo handler, on keep-alive connections)
 * against a bare Node {@code http} server that echoes the body, in the same run: rounds alternate between the two so
 * both see the same machine load. One client back to back, then 10 clients at once (FC_INSTANCE_CONCURRENCY 10).
 * Figures: p50 / p99 / max of the round trip, answers per second. Prints figures and asserts none.
 * {@code ./mvnw -B test -Pbench -Dtest=NodeRuntimeBench}.
 */
class NodeRuntimeBench {
  static final int ROUNDS = Integer.getInteger("bench.rounds", 10);
  static final int PER_ROUND = Integer.getInteger("bench.requests", 300);
  static final int WARMUP = 1000;
  static final String EVENT = "{\"user\": \"alice\", \"action\": \"resize\", \"width\": 640, \"height\": 480}";

  @TempDir Path tmp;

  @Test
  void invokeRoundTripAgainstABareNodeServer() throws Exception {
    BenchReport report = new BenchReport("node-runtime");
    report.line("node %s; %d rounds of %d requests per client, alternating runtime and bare server; event of %d "
        + "bytes", nodeVersion(), ROUNDS, PER_ROUND, EVENT.length());
    report.line("| clients | server | round trip p50 / p99 / max | answers per s |");
    report.line("| --- | --- | --- | --- |");
    Map<String, String> files = new HashMap<>();
    try (Stream<Path> all = Files.list(NodeRuntimeTest.FIXTURES)) {
      for (Path f : all.filter(Files::isRegularFile).toList()) {
        files.put(f.getFileName().toString(), Files.readString(f));
      }
    }
    for (int clients : new int[] {1, 10}) {
      try (RuntimeProcess rt = RuntimeProcess.start(tmp.resolve("c" + clients), env("FC_FUNCTION_HANDLER",
          "node_bench.echo", "FC_INSTANCE_CONCURRENCY", Integer.toString(clients), "FC_TIMEOUT", "10"), files,
          RuntimeProcess.nodeCommand())) {
        rt.awaitStartup();
        int barePort = FreePorts.pick(1)[0];
        Process bare = startBare(rt.code, barePort);
        try {
          Map<String, List<Double>> trips = Map.of("runtime", Collections.synchronizedList(new ArrayList<>()),
              "bare", Collections.synchronizedList(new ArrayList<>()));
          Map<String, Double> seconds = new HashMap<>(Map.of("runtime", 0.0, "bare", 0.0));
          round(rt.invokePort, clients, WARMUP / clients, new ArrayList<>());
          round(barePort, clients, WARMUP / clients, new ArrayList<>());
          for (int r = 0; r < ROUNDS; r++) {
            seconds.merge("runtime", round(rt.invokePort, clients, PER_ROUND, trips.get("runtime")), Double::sum);
            seconds.merge("bare", round(barePort, clients, PER_ROUND, trips.get("bare")), Double::sum);
          }
          for (String server : List.of("runtime", "bare")) {
            Stats s = Stats.of(trips.get(server));
            report.line("| %d | %s | %s / %s / %s ms | %.0f |", clients, server.equals("bare")
                ? "bare Node http echo" : "Node.js runtime", Stats.format(s.percentile(50)),
                Stats.format(s.percentile(99)), Stats.format(s.max()), s.count() / seconds.get(server));
          }
        } finally {
          bare.destroy();
          bare.waitFor(5, TimeUnit.SECONDS);
        }
        rt.sigterm();
        rt.awaitExit();
      }
    }
    report.write();
  }

  private static Process startBare(Path code, int port) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder("node", code.resolve("bare_echo_server.js").toString())
        .redirectErrorStream(true);
    pb.environment().put("ECHO_PORT", Integer.toString(port));
    Process process = pb.start();
    String first = new String(process.getInputStream().readNBytes("listening".length()));
    if (!first.equals("listening")) {
      throw new IllegalStateException("the bare server did not start: " + first);
    }
    return process;
  }

  /** clients threads, each with one keep-alive connection, each sending requests back to back; the wall time. */
  private static double round(int port, int clients, int requests, List<Double> trips) throws InterruptedException {
    String request = RuntimeHttpHardeningTest.post(EVENT);
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      threads.add(new Thread(() -> {
        try (Client client = new Client(port)) {
          for (int i = 0; i < requests; i++) {
            long t0 = System.nanoTime();
            Answer answer = client.send(request).answer();
            double ms = (System.nanoTime() - t0) / 1e6;
            if (answer.status() != 200 || answer.body().length != EVENT.length()) {
              throw new IllegalStateException("unexpected answer " + answer.statusLine());
            }
            trips.add(ms);
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }));
    }
    long t0 = System.nanoTime();
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  private static String nodeVersion() throws IOException, InterruptedException {
    Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
    String version = new String(p.getInputStream().readAllBytes()).strip();
    p.waitFor(5, TimeUnit.SECONDS);
    return version;
  }
}
