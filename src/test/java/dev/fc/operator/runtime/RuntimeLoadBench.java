package dev.fc.operator.runtime;

import static dev.fc.operator.runtime.RuntimeProcess.env;

import dev.fc.operator.bench.BenchReport;
import dev.fc.operator.bench.Stats;
import dev.fc.operator.runtime.RuntimeHttpHardeningTest.Answer;
import dev.fc.operator.runtime.RuntimeHttpHardeningTest.Client;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * P4b: the runtime under load (docs/benchmarks.md). For {@code FC_INSTANCE_CONCURRENCY} 1 and 10: 200 clients
 * connect at once, each on one keep-alive connection, and invoke {@code handlers.echo} back to back for a few
 * seconds, while a newcomer opens a fresh connection every 20 ms for one invocation. Figures: round trip p50,
 * p99 and max, the answers by status (queueing up to {@code FC_TIMEOUT}, then 429, is the design), connect times
 * of the burst and of the newcomers, and every connection that failed or was dropped (there must be none), with
 * the kernel's listen-queue overflow count (machine-wide) before and after. Raw sockets, through the HTTP tests'
 * own client. It prints figures and asserts none: a benchmark, not a test.
 */
class RuntimeLoadBench {
  static final int CLIENTS = Integer.getInteger("bench.clients", 200);
  static final Duration LOAD = Duration.ofSeconds(Integer.getInteger("bench.seconds", 5));
  static final int[] CONCURRENCY = {1, 10};
  static final Duration NEWCOMER_EVERY = Duration.ofMillis(20);
  static final int FC_TIMEOUT_SECONDS = 5;
  /** A small JSON event, as PythonRuntimeBench's. */
  static final String EVENT = "{\"user\": \"alice\", \"action\": \"resize\", \"width\": 640, \"height\": 480}";

  @Test
  void manyKeepAliveClients(@TempDir Path dir) throws Exception {
    BenchReport report = new BenchReport("runtime-load");
    report.line("%d keep-alive clients connecting at once, then invoking back to back for %d s; a newcomer "
        + "connection every %d ms; handlers.echo, FC_TIMEOUT %d", CLIENTS, LOAD.toSeconds(),
        NEWCOMER_EVERY.toMillis(), FC_TIMEOUT_SECONDS);
    report.line("| FC_INSTANCE_CONCURRENCY | answers (per s) | round trip p50 / p99 / max | by status | burst "
        + "connect p50 / p99 / max | newcomers: connect p50 / p99 / max | connections failed or dropped | listen "
        + "overflows (machine) |");
    report.line("| --- | --- | --- | --- | --- | --- | --- | --- |");
    for (int concurrency : CONCURRENCY) {
      report.line(run(Files.createDirectories(dir.resolve("c" + concurrency)), concurrency).row(concurrency));
    }
    report.write();
  }

  /** What one level of concurrency gave. */
  record Figures(long answers, double seconds, List<Double> roundTripsMs, Map<Integer, Long> byStatus,
      List<Double> burstConnectMs, List<Double> newcomerConnectMs, Map<String, Long> failures, long overflows) {
    String row(int concurrency) {
      return String.format(java.util.Locale.ROOT, "| %d | %d (%.0f/s) | %s | %s | %s | %s | %s | %d |", concurrency,
          answers, answers / seconds, ms(roundTripsMs), byStatus, ms(burstConnectMs), ms(newcomerConnectMs),
          failures.isEmpty() ? "none" : failures, overflows);
    }

    private static String ms(List<Double> values) {
      if (values.isEmpty()) {
        return "-";
      }
      Stats s = Stats.of(values);
      return Stats.format(s.percentile(50)) + " / " + Stats.format(s.percentile(99)) + " / "
          + Stats.format(s.max()) + " ms";
    }
  }

  private Figures run(Path dir, int concurrency) throws Exception {
    List<Double> roundTrips = Collections.synchronizedList(new ArrayList<>());
    List<Double> burstConnects = Collections.synchronizedList(new ArrayList<>());
    List<Double> newcomerConnects = Collections.synchronizedList(new ArrayList<>());
    Map<Integer, Long> byStatus = new ConcurrentHashMap<>();
    Map<String, Long> failures = new ConcurrentHashMap<>();
    AtomicLong answers = new AtomicLong();
    try (RuntimeProcess rt = RuntimeProcess.start(dir, env("FC_FUNCTION_HANDLER", "handlers.echo",
        "FC_TIMEOUT", Integer.toString(FC_TIMEOUT_SECONDS), "FC_INSTANCE_CONCURRENCY", Integer.toString(concurrency)))) {
      rt.awaitStartup();
      long overflowsBefore = listenOverflows();
      CountDownLatch go = new CountDownLatch(1);
      long[] window = new long[2];
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < CLIENTS; i++) {
        threads.add(new Thread(() -> {
          awaitQuietly(go);
          Client client = connect(rt.invokePort, burstConnects, failures);
          while (client != null && System.nanoTime() < window[1]) {
            try {
              record(invoke(client), roundTrips, byStatus, answers);
            } catch (IOException | AssertionError e) {
              count(failures, "dropped while invoking: " + kind(e));
              closeQuietly(client);
              client = connect(rt.invokePort, burstConnects, failures);
            }
          }
          closeQuietly(client);
        }));
      }
      threads.add(new Thread(() -> {
        awaitQuietly(go);
        for (long next = System.nanoTime(); next < window[1]; next += NEWCOMER_EVERY.toNanos()) {
          LockSupport.parkNanos(next - System.nanoTime()); // paces the newcomers; waits for nothing
          Client client = connect(rt.invokePort, newcomerConnects, failures);
          if (client != null) {
            try {
              record(invoke(client), roundTrips, byStatus, answers);
            } catch (IOException | AssertionError e) {
              count(failures, "newcomer dropped: " + kind(e));
            }
            closeQuietly(client);
          }
        }
      }));
      threads.forEach(Thread::start);
      window[0] = System.nanoTime();
      window[1] = window[0] + LOAD.toNanos();
      go.countDown(); // the window is read after the latch: it is set before
      for (Thread t : threads) {
        t.join();
      }
      double seconds = (System.nanoTime() - window[0]) / 1e9;
      long overflows = listenOverflows() - overflowsBefore;
      rt.sigterm();
      rt.awaitExit();
      return new Figures(answers.get(), seconds, List.copyOf(roundTrips), new TreeMap<>(byStatus),
          List.copyOf(burstConnects), List.copyOf(newcomerConnects), new TreeMap<>(failures), overflows);
    }
  }

  /** One round trip: its status and milliseconds. */
  private record Trip(int status, double millis) {}

  private static Trip invoke(Client client) throws IOException {
    long t0 = System.nanoTime();
    Answer answer = client.send(RuntimeHttpHardeningTest.post(EVENT)).answer();
    return new Trip(answer.status(), (System.nanoTime() - t0) / 1e6);
  }

  private static void record(Trip trip, List<Double> roundTrips, Map<Integer, Long> byStatus, AtomicLong answers) {
    roundTrips.add(trip.millis());
    byStatus.merge(trip.status(), 1L, Long::sum);
    answers.incrementAndGet();
  }

  /** A new connection, its connect time recorded; null (and the failure counted) when it could not connect. */
  private static Client connect(int port, List<Double> connectMs, Map<String, Long> failures) {
    long t0 = System.nanoTime();
    try {
      Client client = new Client(port);
      connectMs.add((System.nanoTime() - t0) / 1e6);
      return client;
    } catch (IOException e) {
      count(failures, "connect failed: " + kind(e));
      return null;
    }
  }

  private static String kind(Throwable e) {
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")");
  }

  private static void count(Map<String, Long> failures, String what) {
    failures.merge(what, 1L, Long::sum);
  }

  private static void closeQuietly(Client client) {
    if (client != null) {
      try {
        client.close();
      } catch (IOException ignored) {
        // closing a connection the bench is done with
      }
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** TcpExt ListenOverflows from /proc/net/netstat (Linux; the whole machine's), or 0 where there is none. */
  static long listenOverflows() {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/net/netstat"));
      for (int i = 0; i + 1 < lines.size(); i += 2) {
        String[] names = lines.get(i).split("\\s+");
        String[] values = lines.get(i + 1).split("\\s+");
        for (int k = 1; k < names.length && k < values.length; k++) {
          if (names[0].equals("TcpExt:") && names[k].equals("ListenOverflows")) {
            return Long.parseLong(values[k]);
          }
        }
      }
    } catch (IOException | NumberFormatException notLinux) {
      // no figure
    }
    return 0;
  }
}
