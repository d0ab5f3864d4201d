package dev.fc.operator.bench;

import dev.fc.operator.cli.LocalRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * P5 cold start with {@code local} (docs/benchmarks.md): the local kubelet drives the real runtime in python3
 * with the pod the operator builds, for a 1 s Initializer with timeouts of 3, 60 and 600 s, {@code -Dbench.runs}
 * cold starts each (default 20), the timeouts taking turns. All times on CLOCK_MONOTONIC:
 * <ul>
 *   <li>container process start → Initializer start: the process's start time (/proc/self/stat, 10 ms ticks)
 *       to the Initializer's first line, both read by the Initializer itself;
 *   <li>Initializer return → startup probe success, → container ready: the Initializer's clock reading right
 *       before it returns to when {@code local} wrote its {@code [kubelet]} lines (passing a line on can only
 *       lengthen a figure).
 * </ul>
 * The real kubelet's figures come from {@code RealNodeHookTimingBench}.
 */
class ColdStartBench {
  static final Path FIXTURE = Path.of("src/test/resources/bench/cold-start.yaml").toAbsolutePath();
  static final int[] TIMEOUTS = {3, 60, 600};
  static final int RUNS = Integer.getInteger("bench.runs", 20);

  static final Pattern PROCESS_STARTED = Pattern.compile("bench: process started at (\\d+)");
  static final Pattern INIT_STARTING = Pattern.compile("bench: initializer starting at (\\d+)");
  static final Pattern INIT_RETURNING = Pattern.compile("bench: initializer returning at (\\d+)");
  static final Pattern STARTUP_SUCCEEDED = Pattern.compile("\\[kubelet\\] startup probe succeeded.*");
  static final Pattern READY = Pattern.compile("\\[kubelet\\] container ready");

  @Test
  void coldStart() {
    BenchReport report = new BenchReport("cold-start");
    report.line("fixture %s; %d cold starts per Initializer timeout, the timeouts taking turns; %s",
        FIXTURE.getFileName(), RUNS, BenchReport.machine());
    List<List<Double>> toInit = lists();
    List<List<Double>> toStarted = lists();
    List<List<Double>> toReady = lists();
    for (int run = 1; run <= RUNS; run++) {
      for (int i = 0; i < TIMEOUTS.length; i++) {
        LocalRun local = LocalRun.of(FIXTURE.toString(), "--name", "init-" + TIMEOUTS[i] + "s", "--invoke", "a");
        if (local.exitCode() != 0) {
          throw new AssertionError("expected a clean run (exit 0); stderr:\n" + local.err());
        }
        long processStarted = number(local, PROCESS_STARTED);
        long initStarting = number(local, INIT_STARTING);
        long returned = number(local, INIT_RETURNING);
        toInit.get(i).add((initStarting - processStarted) / 1e6);
        toStarted.get(i).add((local.awaitLine(STARTUP_SUCCEEDED).nanos() - returned) / 1e6);
        toReady.get(i).add((local.awaitLine(READY).nanos() - returned) / 1e6);
      }
      report.line("run %d done | load %s", run, BenchReport.loadAverage());
    }
    report.line(Stats.header());
    for (int i = 0; i < TIMEOUTS.length; i++) {
      String t = " (timeout " + TIMEOUTS[i] + " s)";
      report.line(Stats.of(toInit.get(i)).row("container process start → Initializer start" + t, "ms",
          "≤ 250 (p50)", 250));
      report.line(Stats.of(toStarted.get(i)).row("Initializer return → startup probe success" + t, "ms", "-", 0));
      report.line(Stats.of(toReady.get(i)).row("Initializer return → container ready" + t, "ms", "≤ 50 (p95)", 50));
      report.line("  p95%s: → startup success %.0f ms, → ready %.0f ms; process start → Initializer %.0f ms", t,
          Stats.of(toStarted.get(i)).percentile(95), Stats.of(toReady.get(i)).percentile(95),
          Stats.of(toInit.get(i)).percentile(95));
    }
    System.out.println(report.write());
  }

  private static List<List<Double>> lists() {
    List<List<Double>> lists = new ArrayList<>();
    for (int i = 0; i < TIMEOUTS.length; i++) {
      lists.add(new ArrayList<>());
    }
    return lists;
  }

  private static long number(LocalRun local, Pattern pattern) {
    var m = pattern.matcher(local.awaitLine(pattern).text());
    if (!m.matches()) {
      throw new AssertionError("no number in " + pattern);
    }
    return Long.parseLong(m.group(1));
  }
}
