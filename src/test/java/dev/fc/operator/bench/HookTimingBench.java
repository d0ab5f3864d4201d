package dev.fc.operator.bench;

import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.manifest.FunctionInstanceFile;
import dev.fc.operator.cli.LocalRun;
import dev.fc.operator.desired.DesiredStateBuilder;
import dev.fc.operator.desired.InstanceSettings;
import dev.fc.operator.desired.RuntimeFiles;
import dev.fc.operator.local.PodSandbox;
import io.fabric8.kubernetes.api.model.Container;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * P5: hook timing, measured with {@code local} (the local kubelet driving the real runtime in python3,
 * with the pod the operator builds). (a) From the Initializer returning (its own CLOCK_MONOTONIC
 * reading, System.nanoTime()'s clock on Linux) to the kubelet's "startup probe succeeded" and
 * "container ready" lines: goal at most the startup probe's periodSeconds. (b) A PreStop that hangs, cut by the runtime at its timeout: from
 * the kubelet's "preStop hook: GET" line to the "FC PreStop End" line, and to the hook's answer; goal
 * never before the timeout and at most 1 s after. Line times are when {@code local} wrote them, so
 * any delay in passing a line on makes (a) and (b) longer, never shorter.
 */
class HookTimingBench {
  static final Path FIXTURE = Path.of("src/test/resources/bench/hook-timing.yaml").toAbsolutePath();
  static final int[] PRESTOP_TIMEOUTS = {1, 2, 3};
  static final int RUNS = Integer.getInteger("bench.runs", 5);
  static final double LATE_GOAL_MS = 1000;

  static final Pattern INIT_RETURNING = Pattern.compile("bench: initializer returning at (\\d+)");
  static final Pattern STARTED = Pattern.compile("\\[kubelet\\] started container .*");
  static final Pattern STARTUP_SUCCEEDED = Pattern.compile("\\[kubelet\\] startup probe succeeded.*");
  static final Pattern READY = Pattern.compile("\\[kubelet\\] container ready");
  static final Pattern HOOK_SENT = Pattern.compile("\\[kubelet\\] preStop hook: GET .*");
  static final Pattern PRESTOP_END = Pattern.compile("FC PreStop End RequestId: .*, Error: Unhandled function error");
  static final Pattern HOOK_ANSWERED =
      Pattern.compile("\\[kubelet\\] preStop hook returned HTTP 200 .*\"status\": \"timeout\".*");

  @Test
  void hookTiming() throws Exception {
    BenchReport report = new BenchReport("hook-timing");
    int period = startupPeriodSeconds("prestop-1s");
    report.line("fixture %s; startup probe periodSeconds %d (from the rendered pod); %d runs per PreStop"
        + " timeout, the timeouts taking turns", FIXTURE.getFileName(), period, RUNS);

    List<Double> startedAfter = new ArrayList<>();
    List<Double> readyAfter = new ArrayList<>();
    Map<Integer, List<Double>> endLate = new LinkedHashMap<>();
    Map<Integer, List<Double>> answerLate = new LinkedHashMap<>();
    for (int run = 1; run <= RUNS; run++) {
      for (int timeout : PRESTOP_TIMEOUTS) {
        LocalRun local = LocalRun.of(FIXTURE.toString(), "--name", "prestop-" + timeout + "s", "--invoke", "a");
        if (local.exitCode() != 1 || local.errLines().stream().noneMatch(l -> HOOK_ANSWERED.matcher(l).matches())) {
          throw new AssertionError("expected a PreStop timeout (exit 1); stderr:\n" + local.err());
        }
        // (a) the Initializer's return, as it read the clock, to the kubelet's decision
        String returning = local.awaitLine(INIT_RETURNING).text();
        long returnedNanos = Long.parseLong(returning.substring(returning.lastIndexOf(' ') + 1));
        long readyNanos = local.awaitLine(READY).nanos();
        if (returnedNanos < local.awaitLine(STARTED).nanos() || returnedNanos > readyNanos) {
          throw new AssertionError("not System.nanoTime()'s clock: " + returning);
        }
        double started = (local.awaitLine(STARTUP_SUCCEEDED).nanos() - returnedNanos) / 1e6;
        double ready = (readyNanos - returnedNanos) / 1e6;
        startedAfter.add(started);
        readyAfter.add(ready);
        // (b) the hook's request to the End line and to the hook's answer, minus the timeout
        long sent = local.awaitLine(HOOK_SENT).nanos();
        double end = (local.awaitLine(PRESTOP_END).nanos() - sent) / 1e6 - timeout * 1000.0;
        double answer = (local.awaitLine(HOOK_ANSWERED).nanos() - sent) / 1e6 - timeout * 1000.0;
        endLate.computeIfAbsent(timeout, t -> new ArrayList<>()).add(end);
        answerLate.computeIfAbsent(timeout, t -> new ArrayList<>()).add(answer);
        report.line("run %d, PreStop %d s: Initializer return → startup probe success %.1f ms, → ready %.1f ms;"
            + " hook request → End line %+.1f ms, → hook answer %+.1f ms (after the timeout) | load %s", run,
            timeout, started, ready, end, answer, BenchReport.loadAverage());
      }
    }

    report.line(Stats.header());
    report.line(Stats.of(startedAfter).row("Initializer return → startup probe success", "ms",
        "≤ " + period * 1000 + " ms (1 period)", period * 1000.0));
    report.line(Stats.of(readyAfter).row("Initializer return → container ready", "ms",
        "≤ " + period * 1000 + " ms (1 period)", period * 1000.0));
    for (int timeout : PRESTOP_TIMEOUTS) {
      report.line(Stats.of(endLate.get(timeout)).row("PreStop " + timeout + " s: hook request → End line, minus "
          + timeout + " s", "ms", "0–1000 ms late", LATE_GOAL_MS));
      report.line(Stats.of(answerLate.get(timeout)).row("PreStop " + timeout + " s: hook request → hook answer,"
          + " minus " + timeout + " s", "ms", "0–1000 ms late", LATE_GOAL_MS));
    }
    report.write();
  }

  private static int startupPeriodSeconds(String name) throws Exception {
    FunctionInstance fi = FunctionInstanceFile.read(FIXTURE).stream()
        .filter(f -> f.getMetadata().getName().equals(name)).findFirst().orElseThrow();
    Container container = PodSandbox.lifecycleContainer(
        new DesiredStateBuilder(InstanceSettings.defaults(), RuntimeFiles.load()).build(fi).podTemplate());
    return container.getStartupProbe().getPeriodSeconds();
  }
}
