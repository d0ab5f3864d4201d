package dev.fc.operator.elastic;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A gateway replica's admin port as the operator's leader sees it: {@code GET /demand?after=V&waitMillis=W}, a
 * long poll on a report the test sets. It can be made to fail (HTTP 503) to stand for a silent replica.
 */
public final class FakeGateway implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpServer server;
  private final String name;
  private final String host;
  private final AtomicInteger polls = new AtomicInteger();
  private long version = 1;
  private List<DemandReport.FunctionDemand> functions = List.of();
  private boolean failing;

  public FakeGateway(String name) {
    this(name, "127.0.0.1", 0);
  }

  /** On a loopback address of its own ({@code 127.0.0.2}, ...), so that replicas can share a port number. */
  public FakeGateway(String name, String host, int port) {
    this.name = name;
    this.host = host;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(host), port), 16);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/demand", this::demand);
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public String host() {
    return host;
  }

  public URI uri() {
    return URI.create("http://" + host + ":" + port());
  }

  /** Answered polls so far. */
  public int polls() {
    return polls.get();
  }

  public synchronized void report(DemandReport.FunctionDemand... now) {
    functions = List.of(now);
    version++;
    notifyAll();
  }

  public synchronized void failing(boolean fail) {
    failing = fail;
    notifyAll();
  }

  private void demand(HttpExchange exchange) throws IOException {
    long after = -1;
    long wait = 0;
    String query = exchange.getRequestURI().getQuery();
    for (String part : query == null ? new String[0] : query.split("&")) {
      String[] kv = part.split("=", 2);
      if (kv[0].equals("after")) {
        after = Long.parseLong(kv[1]);
      } else if (kv[0].equals("waitMillis")) {
        wait = Long.parseLong(kv[1]);
      }
    }
    byte[] body;
    int status;
    synchronized (this) {
      long deadline = System.currentTimeMillis() + wait;
      while (!failing && version <= after && System.currentTimeMillis() < deadline) {
        try {
          wait(Math.max(1, deadline - System.currentTimeMillis()));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      status = failing ? 503 : 200;
      body = failing ? "failing".getBytes(StandardCharsets.UTF_8)
          : JSON.writeValueAsBytes(new DemandReport(name, version, functions));
    }
    if (status == 200) {
      polls.incrementAndGet();
    }
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  @Override
  public void close() {
    synchronized (this) {
      failing = true;
      notifyAll();
    }
    server.stop(0);
  }
}
