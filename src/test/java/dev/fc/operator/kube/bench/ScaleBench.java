package dev.fc.operator.kube.bench;

import dev.fc.operator.bench.BenchReport;
import dev.fc.operator.bench.Stats;
import dev.fc.operator.desired.RuntimeFiles;
import dev.fc.operator.kube.FcKube;
import dev.fc.operator.kube.KubeTier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * Issue #19's figures on the real API server (kube tier: kube-apiserver 1.20.2, etcd 3.4, kube-controller-manager;
 * no node, so pods stay Pending): P2 convergence against a bare client, P3 heap per function, P6 etcd bytes per
 * function, P7 restart. A benchmark, not a test: it prints figures and writes {@code target/bench/kube-scale.txt},
 * and fails only when something breaks, never on a time. Runs with {@code -Pkube-bench} (docs/benchmarks.md).
 */
class ScaleBench {

  @Test
  void scale() {
    ScaleSettings settings = ScaleSettings.fromSystemProperties();
    BenchReport report = new BenchReport("kube-scale");
    try (KubeTier tier = KubeTier.start(BenchTier.options())) {
      FcKube.installCrd(tier.adminClient());
      report.line("control plane: Kubernetes %s, etcd %s; %s",
          tier.adminClient().getKubernetesVersion().getGitVersion(), new Etcd(tier.etcdUrl()).version(),
          BenchTier.describe());
      report.line("operator: java %s -jar %s run (own process, own user); %d creating threads (java-operator-sdk's"
          + " reconcile threads); inline code %s bytes; %d run(s) per N", String.join(" ", settings.operatorJvm()),
          settings.operatorJar(), settings.threads(), settings.codeSizes(), settings.runs());
      report.line("runtime files (one shared ConfigMap per namespace from the operator, one per %s from the bare"
          + " client): %d bytes", settings.bareRuntimePerFunction() ? "function" : "namespace",
          RuntimeFiles.load().python().values().stream().mapToInt(f -> f.getBytes(StandardCharsets.UTF_8).length)
              .sum());
      report.line("P2 warm-up: each side first converges %d functions in a namespace of its own (bench.warmup)",
          settings.warmup());
      report.line("logs: %s", tier.logDir().toAbsolutePath());
      if (settings.controlPlaneCpus() != null) {
        Cpu.pin(tier.componentProcesses(), settings.controlPlaneCpus());
        Cpu.pin(Cpu.self(), settings.clientCpus()); // the operator processes it starts inherit it
        report.line("CPUs: control plane on %s; the benchmark's JVM (users, bare client, watches) and the operator on %s",
            settings.controlPlaneCpus(), settings.clientCpus());
      } else {
        report.line("CPUs: all processes share all %d", Runtime.getRuntime().availableProcessors());
      }
      Path kubeconfig = ScaleRun.operatorKubeconfig(tier);
      for (int n : settings.functions()) {
        List<ScaleResult> results = new ArrayList<>();
        for (int run = 1; run <= settings.runs(); run++) {
          ScaleResult result = new ScaleRun(tier, settings, n, run, kubeconfig).run();
          results.add(result);
          printRun(report, run, result);
        }
        printSummary(report, n, results, settings.codeSizes());
      }
    } finally {
      report.write();
    }
  }

  private static void printRun(BenchReport report, int run, ScaleResult r) {
    int n = r.n();
    report.line("N=%d run %d: P2 operator %.2f s, bare %.2f s, ratio %.2f; P3 %s; P6 %.0f B/function stored"
        + " (limit %.0f, ratio %.2f; etcd DB after compaction+defrag +%.0f B/function, bare +%.0f)%s; P7 %.2f s to"
        + " %d reconciles, quiet after %.2f s, %d writes", n, run, r.operatorSeconds(), r.bareSeconds(), r.ratio(),
        heap(r), r.storedBytesPerFunction(), r.limitBytesPerFunction(), r.storageRatio(),
        r.operatorDbBytesPerFunction(), r.bareDbBytesPerFunction(),
        r.endpointsComplete() ? "" : " (endpoints incomplete at the deadline)", r.restartSeconds(), n,
        r.restartQuietSeconds(), r.restartRequests().writes());
    report.line("  (run took %.0f s, %s first) requests per function: operator %s; its user %s; bare client %s",
        r.seconds(), r.bareFirst() ? "bare client" : "operator", r.operatorRequests().perFunction(n),
        r.userRequests().perFunction(n), r.bareRequests().perFunction(n));
    report.line("  operator: %s", r.operatorRequests().detail());
    report.line("  bare client: %s", r.bareRequests().detail());
    report.line("  restart: %s", r.restartRequests().detail());
    StringBuilder kinds = new StringBuilder("  etcd bytes per function, operator / bare namespace:");
    for (String resource : new TreeSet<>(union(r.operatorUsage(), r.bareUsage()))) {
      kinds.append(String.format(Locale.ROOT, " %s %.0f / %.0f (%d / %d keys);", resource,
          bytes(r.operatorUsage(), resource, n), bytes(r.bareUsage(), resource, n),
          keys(r.operatorUsage(), resource), keys(r.bareUsage(), resource)));
    }
    report.line(kinds.toString());
  }

  private static void printSummary(BenchReport report, int n, List<ScaleResult> results, List<Integer> codeSizes) {
    report.line("");
    report.line("N = %d, %d run(s):", n, results.size());
    report.line(Stats.header());
    report.line(stats(results, ScaleResult::operatorSeconds).row("P2 operator, " + n + " functions", "s", "", 0));
    report.line(stats(results, ScaleResult::bareSeconds).row("P2 bare client, same objects", "s", "", 0));
    report.line(stats(results, ScaleResult::ratio).row("P2 operator / bare", "×", "≤ 1.2×", 1.2));
    for (String verb : RequestCounts.VERBS) {
      double operator = stats(results, r -> r.operatorRequests().verb(verb) / (double) n).median();
      double user = stats(results, r -> r.userRequests().verb(verb) / (double) n).median();
      double bare = stats(results, r -> r.bareRequests().verb(verb) / (double) n).median();
      if (operator + user + bare > 0) {
        report.line("| P2 %s per function: operator (+ its user) / bare | %s (+ %s) / %s | | | |", verb,
            Stats.format(operator), Stats.format(user), Stats.format(bare));
      }
    }
    report.line(stats(results, r -> r.operatorCpu().controlPlane())
        .row("P2 control plane CPU during the operator's run", "s", "", 0));
    report.line(stats(results, r -> r.bareCpu().controlPlane())
        .row("P2 control plane CPU during the bare client's run", "s", "", 0));
    report.line(stats(results, r -> r.operatorCpu().operator()).row("P2 operator process CPU", "s", "", 0));
    report.line(stats(results, r -> r.operatorCpu().benchJvm())
        .row("P2 benchmark JVM CPU during the operator's run (user, watches)", "s", "", 0));
    report.line(stats(results, r -> r.bareCpu().benchJvm())
        .row("P2 benchmark JVM CPU during the bare client's run", "s", "", 0));
    for (int code : codeSizes) {
      report.line(stats(results, r -> r.heap().get(code).kibPerFunction(n))
          .row("P3 operator heap per function (0 → N), " + code + " B code", "KiB", "≤ 10 KiB", 10));
      report.line(stats(results, r -> r.heap().get(code).marginalKibPerFunction(n))
          .row("P3 marginal heap per function (N/2 → N), " + code + " B code", "KiB", "≤ 10 KiB", 10));
    }
    report.line(stats(results, ScaleResult::storedBytesPerFunction).row("P6 etcd bytes per function", "B", "", 0));
    report.line(stats(results, ScaleResult::limitBytesPerFunction)
        .row("P6 limit: code + FunctionInstance + pod + Service", "B", "", 0));
    report.line(stats(results, ScaleResult::storageRatio).row("P6 stored / limit", "×", "≤ 1.3×", 1.3));
    report.line(stats(results, ScaleResult::operatorDbBytesPerFunction)
        .row("P6 etcd DB size growth per function (compacted, defragmented)", "B", "", 0));
    report.line(stats(results, ScaleResult::restartSeconds)
        .row("P7 restart to " + n + " reconciles", "s", "< 60 s", 60));
    report.line(stats(results, r -> r.restartRequests().writes()).row("P7 writes on restart", "", "0", 0));
    report.line("");
  }

  private static String heap(ScaleResult r) {
    StringBuilder out = new StringBuilder();
    r.heap().forEach((code, heap) -> out.append(out.length() == 0 ? "" : ", ")
        .append(String.format(Locale.ROOT, "%.2f KiB/function, %.2f marginal (%d B code; %.1f MiB empty, %.1f MiB"
            + " with N/2, %.1f MiB with N)", heap.kibPerFunction(r.n()), heap.marginalKibPerFunction(r.n()), code,
            heap.empty() / 1048576.0, heap.atHalf() / 1048576.0, heap.converged() / 1048576.0)));
    return out.toString();
  }

  private static Stats stats(List<ScaleResult> results, ToDoubleFunction<ScaleResult> figure) {
    return Stats.of(results.stream().mapToDouble(figure).toArray());
  }

  private static Set<String> union(Map<String, ?> a, Map<String, ?> b) {
    Set<String> keys = new TreeSet<>(a.keySet());
    keys.addAll(b.keySet());
    return keys;
  }

  private static double bytes(Map<String, Etcd.Usage> usage, String resource, int n) {
    Etcd.Usage u = usage.get(resource);
    return u == null ? 0 : u.valueBytes() / (double) n;
  }

  private static long keys(Map<String, Etcd.Usage> usage, String resource) {
    Etcd.Usage u = usage.get(resource);
    return u == null ? 0 : u.keys();
  }
}
