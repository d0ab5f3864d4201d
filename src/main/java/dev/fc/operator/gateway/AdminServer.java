package dev.fc.operator.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.function.BooleanSupplier;

/**
 * The admin port, a server of its own so that polls never take the invocations' threads:
 * {@code GET /demand?after=V&waitMillis=W} (the long-polled {@link dev.fc.operator.elastic.DemandReport}),
 * {@code /metrics}, {@code /healthz} (always 200) and {@code /readyz} (200 once the informers synced).
 */
final class AdminServer implements AutoCloseable {
  static final long MAX_WAIT_MILLIS = 30_000;
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpServer server;

  private AdminServer(HttpServer server) {
    this.server = server;
  }

  static AdminServer start(int port, ExecutorService executor, InstanceDirectory directory, String gatewayName,
      PrometheusMeterRegistry registry, BooleanSupplier ready) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 1024);
    server.createContext("/demand", exchange -> demand(exchange, directory, gatewayName));
    server.createContext("/metrics", exchange -> text(exchange, 200, registry.scrape(),
        "text/plain; version=0.0.4; charset=utf-8"));
    server.createContext("/healthz", exchange -> text(exchange, 200, "ok\n", "text/plain; charset=utf-8"));
    server.createContext("/readyz", exchange -> {
      boolean isReady = ready.getAsBoolean();
      text(exchange, isReady ? 200 : 503, isReady ? "ok\n" : "informers not synced yet\n",
          "text/plain; charset=utf-8");
    });
    server.setExecutor(executor);
    server.start();
    return new AdminServer(server);
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** Answers at once when {@code after} is older than the version, else when it changes or after the wait. */
  private static void demand(HttpExchange exchange, InstanceDirectory directory, String gatewayName) {
    long after;
    long waitMillis;
    try {
      Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
      after = number(query, "after", -1);
      waitMillis = Math.min(MAX_WAIT_MILLIS, Math.max(0, number(query, "waitMillis", 0)));
    } catch (IllegalArgumentException bad) {
      text(exchange, 400, bad.getMessage() + "\n", "text/plain; charset=utf-8");
      return;
    }
    directory.changeAfter(after, Duration.ofMillis(waitMillis)).thenRun(() -> {
      try {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        Answers.write(exchange, 200, JSON.writeValueAsBytes(directory.demand(gatewayName)));
      } catch (IOException cannotHappen) {
        exchange.close();
      }
    });
  }

  private static long number(Map<String, String> query, String name, long fallback) {
    String value = query.get(name);
    if (value == null || value.isEmpty()) {
      return fallback;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException notANumber) {
      throw new IllegalArgumentException("query parameter " + name + "=" + value
          + " is not a whole number; give e.g. " + name + "=0");
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new HashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          out.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
      }
    }
    return out;
  }

  private static void text(HttpExchange exchange, int status, String body, String contentType) {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    Answers.write(exchange, status, body.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
