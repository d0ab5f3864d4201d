package dev.fc.operator.manager;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.javaoperatorsdk.operator.RuntimeInfo;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The operator's HTTP endpoints for the Deployment's probes and Prometheus:
 * {@code /healthz} (liveness: every informer is healthy; a standby replica, which runs none, is alive as
 * long as it answers), {@code /readyz} (readiness: the operator has started; a standby replica without
 * the Lease is ready too, so rolling updates of a leader-elected Deployment proceed) and {@code /metrics}.
 */
public final class OperatorHttpServer implements AutoCloseable {
  private final HttpServer server;

  private OperatorHttpServer(HttpServer server) {
    this.server = server;
  }

  public static OperatorHttpServer start(int port, Supplier<RuntimeInfo> runtime, Leadership leadership,
      PrometheusMeterRegistry registry) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
    server.createContext("/healthz", exchange -> {
      RuntimeInfo info = runtime.get();
      if (info != null && leadership.standby()) {
        respond(exchange, 200, "ok (standby)\n", "text/plain; charset=utf-8");
        return;
      }
      boolean healthy = info != null && info.allEventSourcesAreHealthy();
      respond(exchange, healthy ? 200 : 503, healthy ? "ok\n"
          : "unhealthy event sources: " + (info == null ? "not started" : info.unhealthyEventSources()) + "\n",
          "text/plain; charset=utf-8");
    });
    server.createContext("/readyz", exchange -> {
      RuntimeInfo info = runtime.get();
      boolean ready = info != null && info.isStarted();
      respond(exchange, ready ? 200 : 503, ready ? "ok\n" : "starting\n", "text/plain; charset=utf-8");
    });
    server.createContext("/metrics", exchange -> respond(exchange, 200, registry.scrape(),
        "text/plain; version=0.0.4; charset=utf-8"));
    server.setExecutor(Executors.newFixedThreadPool(2, r -> {
      Thread thread = new Thread(r, "fc-operator-http");
      thread.setDaemon(true);
      return thread;
    }));
    server.start();
    return new OperatorHttpServer(server);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void respond(HttpExchange exchange, int status, String body, String contentType) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
