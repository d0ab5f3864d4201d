package dev.fc.operator.bench;

import dev.fc.operator.api.HandlerType;
import dev.fc.operator.gateway.FunctionKey;
import dev.fc.operator.gateway.Gateway;
import dev.fc.operator.gateway.GatewaySettings;
import dev.fc.operator.gateway.Ownership;
import dev.fc.operator.gateway.Peer;
import dev.fc.operator.gateway.RoutedFunction;
import dev.fc.operator.gateway.RoutedInstance;
import dev.fc.operator.runtime.RuntimeProcess;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway's cost: a real runtime process and the gateway in-process on this machine. Round trips of one
 * small event invocation, direct to the runtime and through the gateway, interleaved in the same run (p50,
 * p99); then throughput at concurrency 10, the runtime alone and through the gateway. Goal: at most 1 ms added
 * at p50.
 */
class GatewayBench {
  static final int WARMUP = 1000;
  static final int ROUNDS = 3000;
  static final Duration THROUGHPUT_RUN = Duration.ofSeconds(8);
  static final int CONCURRENCY = 10;
  static final FunctionKey F = new FunctionKey("bench", "f");

  @TempDir Path tmp;

  @Test
  void roundTripAndThroughputDirectAndThroughTheGateway() throws Exception {
    BenchReport report = new BenchReport("gateway");
    try (RuntimeProcess rt = RuntimeProcess.start(tmp, RuntimeProcess.env("FC_FUNCTION_HANDLER", "handlers.by_type",
        "FC_INSTANCE_CONCURRENCY", Integer.toString(CONCURRENCY), "FC_TIMEOUT", "10"));
        Gateway gateway = Gateway.start(new GatewaySettings(0, 0, "bench", "bench"),
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), () -> true);
        Gateway forwarder = Gateway.start(new GatewaySettings(0, 0, "bench", forwarderName()),
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), () -> true)) {
      rt.awaitStartup();
      gateway.directory().putFunction(new RoutedFunction(F, "uid", HandlerType.EVENT, CONCURRENCY, 10, 0, 1, null));
      gateway.directory().putInstance(F, RoutedInstance.ready("bench-f-1", "127.0.0.1", rt.invokePort));
      forwarder.directory().putFunction(new RoutedFunction(F, "uid", HandlerType.EVENT, CONCURRENCY, 10, 0, 1, null));
      forwarder.directory().putInstance(F, RoutedInstance.ready("bench-f-1", "127.0.0.1", rt.invokePort));
      forwarder.peers().replace(List.of(Peer.of("bench", "127.0.0.1", gateway.port()),
          Peer.of(forwarder.peers().self(), "127.0.0.1", forwarder.port())));
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      HttpRequest direct = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rt.invokePort + "/invoke"))
          .POST(HttpRequest.BodyPublishers.ofString("str")).build();
      HttpRequest viaGateway = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port()
          + "/2023-03-30/functions/f/invocations")).POST(HttpRequest.BodyPublishers.ofString("str")).build();
      HttpRequest viaForwarder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + forwarder.port()
          + "/2023-03-30/functions/f/invocations")).POST(HttpRequest.BodyPublishers.ofString("str")).build();

      for (int i = 0; i < WARMUP; i++) {
        call(client, direct);
        call(client, viaGateway);
        call(client, viaForwarder);
      }
      List<Double> directMs = new ArrayList<>();
      List<Double> gatewayMs = new ArrayList<>();
      List<Double> addedMs = new ArrayList<>();
      List<Double> forwardedMs = new ArrayList<>();
      List<Double> hopMs = new ArrayList<>();
      for (int i = 0; i < ROUNDS; i++) {
        boolean directFirst = i % 2 == 0;
        double a = directFirst ? call(client, direct) : 0;
        double f = directFirst ? call(client, viaForwarder) : 0;
        double g = call(client, viaGateway);
        double d = directFirst ? a : call(client, direct);
        f = directFirst ? f : call(client, viaForwarder);
        directMs.add(d);
        gatewayMs.add(g);
        addedMs.add(g - d);
        forwardedMs.add(f);
        hopMs.add(f - g);
      }
      Stats d = Stats.of(directMs);
      Stats g = Stats.of(gatewayMs);
      report.line("round trip, %d interleaved pairs after %d warm-up pairs, one small event invocation:", ROUNDS,
          WARMUP);
      report.line("  direct:  p50 %s ms, p99 %s ms", Stats.format(d.median()), Stats.format(d.percentile(99)));
      report.line("  gateway: p50 %s ms, p99 %s ms", Stats.format(g.median()), Stats.format(g.percentile(99)));
      report.line("  added at p50: %s ms (goal <= 1 ms; ratio to goal %.2f); p50 of pairwise differences %s ms",
          Stats.format(g.median() - d.median()), (g.median() - d.median()) / 1.0,
          Stats.format(Stats.of(addedMs).median()));
      Stats f = Stats.of(forwardedMs);
      Stats hop = Stats.of(hopMs);
      report.line("  through a non-owner replica, forwarded to the owner: p50 %s ms, p99 %s ms", Stats.format(f.median()),
          Stats.format(f.percentile(99)));
      report.line("  the forwarding hop adds (to the owner alone) at p50 %s ms, at p99 %s ms; pairwise p50 %s ms,"
          + " p99 %s ms", Stats.format(f.median() - g.median()), Stats.format(f.percentile(99) - g.percentile(99)),
          Stats.format(hop.median()), Stats.format(hop.percentile(99)));

      double directRate = throughput(direct);
      double gatewayRate = throughput(viaGateway);
      double forwardedRate = throughput(viaForwarder);
      report.line("throughput at concurrency %d, %d s each: runtime alone %.0f/s, through the gateway %.0f/s"
          + " (%.0f %%), through a non-owner replica %.0f/s (%.0f %%)", CONCURRENCY, THROUGHPUT_RUN.toSeconds(),
          directRate, gatewayRate, 100 * gatewayRate / directRate, forwardedRate, 100 * forwardedRate / directRate);
    }
    report.write();
  }

  /** A name for the second replica that loses the function to "bench", so that it forwards. */
  private static String forwarderName() {
    for (int i = 0; ; i++) {
      String name = "bench-peer-" + i;
      if (Ownership.owner(F, List.of("bench", name)).equals("bench")) {
        return name;
      }
    }
  }

  private static double call(HttpClient client, HttpRequest request) throws Exception {
    long start = System.nanoTime();
    HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    double ms = (System.nanoTime() - start) / 1e6;
    if (response.statusCode() != 200) {
      throw new AssertionError("status " + response.statusCode() + ": " + new String(response.body()));
    }
    return ms;
  }

  /** Invocations per second of {@link #CONCURRENCY} clients, each with its own connection, one call at a time. */
  private static double throughput(HttpRequest request) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY);
    AtomicLong done = new AtomicLong();
    long end = System.nanoTime() + THROUGHPUT_RUN.toNanos();
    long start = System.nanoTime();
    List<Future<?>> clients = new ArrayList<>();
    for (int c = 0; c < CONCURRENCY; c++) {
      clients.add(pool.submit(() -> {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        while (System.nanoTime() < end) {
          call(client, request);
          done.incrementAndGet();
        }
        return null;
      }));
    }
    for (Future<?> client : clients) {
      client.get();
    }
    pool.shutdown();
    return done.get() / ((System.nanoTime() - start) / 1e9);
  }
}
