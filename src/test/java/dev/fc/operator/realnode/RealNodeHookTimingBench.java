package dev.fc.operator.realnode;

import dev.fc.operator.Await;
import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.api.LifecycleHook;
import dev.fc.operator.bench.BenchReport;
import dev.fc.operator.bench.Stats;
import dev.fc.operator.desired.Labels;
import dev.fc.operator.kube.FcKube;
import dev.fc.operator.kube.PodWatch;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * P5 on the real kubelet (docs/benchmarks.md): cold-start phases and PreStop latency, measured, never asserted.
 * {@code ./mvnw -B verify -Prealnode -DskipUnitTests -Dit.test=RealNodeHookTimingBench} (not in CI's run: it
 * matches no *IT). {@code -Dbench.runs=N} cold starts per Initializer timeout (default 20).
 *
 * <ul>
 *   <li>container start → Initializer start: the python process's start time (/proc/PID/stat, found by the
 *       container's cgroup) to the kubelet's timestamp of {@code FC Initialize Start};
 *   <li>Initializer end → pod Ready: the kubelet's timestamp of {@code FC Initialize End} to when this JVM's
 *       watch received the pod with Ready=True (the same clock: one machine);
 *   <li>pod deletion → PreStop start: the delete request to the kubelet's timestamp of {@code FC PreStop Start};
 *   <li>cold start of examples/hello.yaml: {@code apply} to Ready, as received by the watch.
 * </ul>
 */
@ExtendWith(RealNodeExtension.class)
class RealNodeHookTimingBench {
  private static final String NS = "rn-bench";
  private static final int RUNS = Integer.getInteger("bench.runs", 20);

  @Test
  void coldStartPhasesAndPreStopLatency(RealNode node) throws IOException {
    node.namespace(NS);
    BenchReport report = new BenchReport("realnode-hook-timing");
    report.line("P5 on the real kubelet 1.20.2, %d cold starts per Initializer timeout; %s", RUNS,
        BenchReport.machine());
    report.line(Stats.header());
    for (int timeout : new int[] {3, 60, 600}) {
      List<Double> toInit = new ArrayList<>();
      List<Double> toReady = new ArrayList<>();
      List<Double> toPreStop = new ArrayList<>();
      List<Double> applyToReady = new ArrayList<>();
      for (int run = 0; run < RUNS; run++) {
        Sample s = coldStart(node, "init" + timeout, timeout);
        toInit.add(s.processToInitializer);
        toReady.add(s.initializerEndToReady);
        toPreStop.add(s.deleteToPreStop);
        applyToReady.add(s.applyToReady);
      }
      String t = " (Initializer 1 s, timeout " + timeout + " s)";
      report.line(Stats.of(toInit).row("container process start -> Initializer start" + t, "ms", "<= 250", 250));
      report.line(Stats.of(toReady).row("Initializer end -> pod Ready" + t, "ms", "<= 50 (p95)", 50));
      report.line(Stats.of(toPreStop).row("pod deletion -> PreStop start" + t, "ms", "-", 0));
      report.line(Stats.of(applyToReady).row("apply -> Ready" + t, "ms", "-", 0));
      report.line("  p95: Initializer end -> Ready %.0f ms; process start -> Initializer %.0f ms",
          Stats.of(toReady).percentile(95), Stats.of(toInit).percentile(95));
    }
    List<Double> hello = new ArrayList<>();
    for (int run = 0; run < Math.min(RUNS, 5); run++) {
      FunctionInstance fi = RealNode.load("examples/hello.yaml", NS, f -> f);
      hello.add(applyToReady(node, fi));
      deleteAndWait(node, fi.getMetadata().getName());
    }
    report.line(Stats.of(hello).row("cold start of examples/hello.yaml: apply -> Ready", "ms", "-", 0));
    System.out.println(report.write());
  }

  private record Sample(double processToInitializer, double initializerEndToReady, double deleteToPreStop,
      double applyToReady) {}

  private static Sample coldStart(RealNode node, String name, int timeout) throws IOException {
    FunctionInstance fi = RealNode.load("examples/hello.yaml", NS, f -> {
      f.getMetadata().setName(name);
      Map<String, String> files = new HashMap<>(f.getSpec().getCode().getInline());
      files.put("index.py", files.get("index.py").replace("    logger = context.get_logger()\n",
          "    logger = context.get_logger()\n    import time; time.sleep(1)\n"));
      f.getSpec().getCode().setInline(files);
      f.getSpec().getInstanceLifecycleConfig().setInitializer(new LifecycleHook("index.initialize", timeout));
      return f;
    });
    try (PodWatch watch = PodWatch.start(node.client(), NS, Labels.FUNCTION + "=" + name)) {
      Instant applied = Instant.now();
      node.apply(fi);
      Pod pod = node.awaitReadyPods(NS, name, 1).get(0);
      Instant ready = watch.awaitFirstSeen(pod.getMetadata().getName(), FcKube::isReady, RealNode.SLOW);
      String log = node.log(NS, pod.getMetadata().getName());
      Instant initStart = InstanceLifecycleIT.logTime(log, "FC Initialize Start RequestId: ");
      Instant initEnd = InstanceLifecycleIT.logTime(log, "FC Initialize End RequestId: ");
      Instant processStart = processStart(RealNode.functionContainer(pod).orElseThrow().getContainerID());
      double processToInit = millis(processStart, initStart);
      try (LogFollower follow = node.follow(NS, pod.getMetadata().getName())) {
        Instant deleted = Instant.now();
        node.client().pods().inNamespace(NS).withName(pod.getMetadata().getName()).delete();
        Instant preStop = follow.await("FC PreStop Start RequestId: ", RealNode.SLOW);
        deleteAndWait(node, name);
        return new Sample(processToInit, millis(initEnd, ready), millis(deleted, preStop), millis(applied, ready));
      }
    }
  }

  private static double applyToReady(RealNode node, FunctionInstance fi) {
    String name = fi.getMetadata().getName();
    try (PodWatch watch = PodWatch.start(node.client(), NS, Labels.FUNCTION + "=" + name)) {
      Instant applied = Instant.now();
      node.apply(fi);
      Pod pod = node.awaitReadyPods(NS, name, 1).get(0);
      return millis(applied, watch.awaitFirstSeen(pod.getMetadata().getName(), FcKube::isReady, RealNode.SLOW));
    }
  }

  private static void deleteAndWait(RealNode node, String name) {
    FcKube.fi(node.client(), NS, name).delete();
    Await.until(name + " gone", () -> FcKube.fi(node.client(), NS, name).get() == null
        && FcKube.pods(node.client(), NS, name).isEmpty(), RealNode.SLOW);
  }

  private static double millis(Instant from, Instant to) {
    return Duration.between(from, to).toNanos() / 1e6;
  }

  /** When the container's first process started: /proc/PID/stat's start time (clock ticks after boot). */
  static Instant processStart(String containerId) throws IOException {
    String id = containerId.replaceFirst(".*://", "");
    double uptime = Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
    Instant boot = Instant.now().minusNanos((long) (uptime * 1e9));
    long earliest = Long.MAX_VALUE;
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        try {
          if (Files.readString(proc.resolve("cgroup")).contains(id)) {
            String stat = Files.readString(proc.resolve("stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            earliest = Math.min(earliest, Long.parseLong(fields[19])); // field 22: starttime
          }
        } catch (IOException gone) {
          // ended meanwhile
        }
      }
    }
    if (earliest == Long.MAX_VALUE) {
      throw new UncheckedIOException(new IOException("no process of container " + id));
    }
    return boot.plusNanos(earliest * 10_000_000L); // USER_HZ = 100 on Linux
  }
}
