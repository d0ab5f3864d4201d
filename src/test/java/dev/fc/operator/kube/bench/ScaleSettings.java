package dev.fc.operator.kube.bench;

import io.javaoperatorsdk.operator.api.config.ConfigurationService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The benchmark's knobs, from system properties: {@code bench.functions} (comma list of N, default 1000),
 * {@code bench.runs} (default 3), {@code bench.codeSizes} (inline code bytes, default 1024,65536: the first is the
 * size of P2, P6 and P7, every one gets a P3), {@code bench.threads} (creating clients' threads, default
 * java-operator-sdk's reconcile threads, 50, which the operator does not change), {@code bench.operatorJvm}
 * (the operator process's JVM options), {@code bench.operatorJar}, and {@code bench.bareRuntimePerFunction} (the
 * bare client creates a runtime ConfigMap per function, as today's operator does, instead of one per namespace), and
 * {@code bench.cpus} ({@code CONTROL_PLANE:CLIENTS}, taskset lists such as {@code 0:1}: the control plane's processes
 * run on the first CPUs, the benchmark's JVM and the operator on the second, as on separate machines; default: all
 * share every CPU), and {@code bench.warmup} (functions each side of P2 creates, in a namespace of its own, and waits
 * for before its measured N, so that neither the operator's fresh JVM nor the benchmark's times its JIT's first
 * compilations; default 100, 0 for none).
 */
record ScaleSettings(List<Integer> functions, int runs, List<Integer> codeSizes, int threads,
    List<String> operatorJvm, Path operatorJar, boolean bareRuntimePerFunction, String cpuSplit, int warmup) {

  static ScaleSettings fromSystemProperties() {
    return new ScaleSettings(
        ints(System.getProperty("bench.functions", "1000")),
        Integer.getInteger("bench.runs", 3),
        ints(System.getProperty("bench.codeSizes", "1024,65536")),
        Integer.getInteger("bench.threads", ConfigurationService.DEFAULT_RECONCILIATION_THREADS_NUMBER),
        Arrays.stream(System.getProperty("bench.operatorJvm", "-XX:+UseG1GC -Xmx4g").trim().split("\\s+"))
            .filter(s -> !s.isEmpty()).toList(),
        Path.of(System.getProperty("bench.operatorJar", "target/fc-operator.jar")),
        Boolean.getBoolean("bench.bareRuntimePerFunction"),
        System.getProperty("bench.cpus", "").trim(),
        Integer.getInteger("bench.warmup", 100));
  }

  /** The control plane's CPUs of {@code bench.cpus}, or null when they share every CPU. */
  String controlPlaneCpus() {
    return cpuSplit.isEmpty() ? null : cpuSplit.split(":", 2)[0];
  }

  /** The benchmark's JVM's and the operator's CPUs of {@code bench.cpus}, or null. */
  String clientCpus() {
    if (cpuSplit.isEmpty()) {
      return null;
    }
    String[] parts = cpuSplit.split(":", 2);
    if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
      throw new IllegalArgumentException("bench.cpus=" + cpuSplit + ": give CONTROL_PLANE:CLIENTS, e.g. 0:1");
    }
    return parts[1];
  }

  /** Generous deadlines that grow with N: 5 minutes, or 200 ms per function when that is more. */
  static Duration deadline(int n) {
    return Duration.ofMillis(Math.max(300_000L, 200L * n));
  }

  private static List<Integer> ints(String list) {
    return Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(Integer::valueOf).toList();
  }
}
