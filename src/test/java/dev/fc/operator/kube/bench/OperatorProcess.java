package dev.fc.operator.kube.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The operator as a process of its own, {@code java -jar target/fc-operator.jar run -n NAMESPACE}, with its own
 * kubeconfig (so its requests carry its own user in the audit log) and its own JVM (so its heap is its own). Reads
 * java-operator-sdk's reconcile counter from {@code /metrics} and the heap after a full GC with {@code jcmd}.
 */
final class OperatorProcess implements AutoCloseable {
  private static final Pattern HEAP_USED = Pattern.compile("garbage-first heap\\s+total \\d+K, used (\\d+)K");
  private static final String RECONCILED = "operator_sdk_reconciliations_success_total";
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  private final Process process;
  private final int httpPort;
  private final long startedNanos;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private OperatorProcess(Process process, int httpPort, long startedNanos) {
    this.process = process;
    this.httpPort = httpPort;
    this.startedNanos = startedNanos;
  }

  /**
   * @param kubeconfig the operator's own kubeconfig file
   * @param log where its output goes (appended)
   */
  static OperatorProcess start(Path jar, Path kubeconfig, String namespace, List<String> jvmArgs, Path log) {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: build it first (./mvnw -B package -DskipTests)");
    }
    try {
      int port = freePort();
      List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
          .toString()));
      command.addAll(jvmArgs);
      command.addAll(List.of("-jar", jar.toString(), "run", "--namespace", namespace, "--http-port",
          String.valueOf(port)));
      Files.writeString(log, "# " + String.join(" ", command) + "\n", StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      builder.environment().put("KUBECONFIG", kubeconfig.toString());
      builder.environment().remove("FC_WATCH_NAMESPACES");
      long started = System.nanoTime();
      return new OperatorProcess(builder.start(), port, started);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** CPU seconds the process has used so far. */
  double cpuSeconds() {
    return Cpu.seconds(List.of(process.toHandle()));
  }

  long pid() {
    return process.pid();
  }

  /** System.nanoTime() just before the process was started. */
  long startedNanos() {
    return startedNanos;
  }

  /** Waits until /readyz answers 200 (java-operator-sdk started: informers synced). */
  void awaitReady(Duration timeout) {
    Poll.until("operator /readyz", timeout, Duration.ofMillis(100), () -> {
      checkAlive();
      return get("/readyz") == 200;
    });
  }

  /** java-operator-sdk's count of successful reconciles since this process started. */
  double reconciled() {
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/metrics")).timeout(Duration.ofSeconds(10))
          .build(), HttpResponse.BodyHandlers.ofString());
      return response.body().lines().filter(l -> l.startsWith(RECONCILED))
          .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /**
   * Waits until the reconcile count has not changed for {@code quiet}; returns System.nanoTime() of the last change
   * seen (or of the call, if none).
   */
  long awaitQuiet(Duration quiet, Duration timeout) {
    double[] last = {reconciled()};
    long[] changed = {System.nanoTime()};
    Poll.until("the operator to be quiet for " + quiet.toSeconds() + " s", timeout, Duration.ofMillis(100), () -> {
      checkAlive();
      double now = reconciled();
      if (now != last[0]) {
        last[0] = now;
        changed[0] = System.nanoTime();
      }
      return System.nanoTime() - changed[0] >= quiet.toNanos();
    });
    return changed[0];
  }

  /**
   * The heap in use after a full GC (jcmd GC.run, GC.heap_info): the lowest of three readings, as what the process
   * allocates between a GC and its reading only adds.
   */
  long heapAfterGc() {
    long lowest = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      jcmd("GC.run");
      Matcher m = HEAP_USED.matcher(jcmd("GC.heap_info"));
      if (!m.find()) {
        throw new IllegalStateException("no G1 heap figure in jcmd GC.heap_info of " + pid());
      }
      lowest = Math.min(lowest, Long.parseLong(m.group(1)) * 1024);
    }
    return lowest;
  }

  /** {@code jcmd GC.class_histogram} (a full GC first): what the heap holds per class. */
  ClassHistogram classHistogram() {
    return ClassHistogram.parse(jcmd("GC.class_histogram"));
  }

  /** SIGTERM, as Kubernetes stops a pod, and waits for the exit; kills it after 30 s. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  private void checkAlive() {
    if (!process.isAlive()) {
      throw new IllegalStateException("the operator process exited with status " + process.exitValue());
    }
  }

  private String jcmd(String command) {
    try {
      Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
          String.valueOf(pid()), command).redirectErrorStream(true).start();
      String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (jcmd.waitFor() != 0) {
        throw new IllegalStateException("jcmd " + pid() + " " + command + " failed: " + out);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private int get(String path) {
    try {
      return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1; // not listening yet
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + httpPort + path);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
