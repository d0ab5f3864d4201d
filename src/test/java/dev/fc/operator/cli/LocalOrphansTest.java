package dev.fc.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code local} leaves no process behind, as the kubelet leaves none of a container: whatever a function starts
 * (a child that keeps the output open, one that ignores SIGTERM, one in a session of its own, a double-forked
 * daemon), however the instance ends (stopped, retired by itself, killed with SIGKILL after the grace period, an
 * Initializer failure), once {@code local} has returned every one of them is gone and the container's output
 * was read to its end. The functions are {@code src/test/resources/local/unruly-code}.
 */
class LocalOrphansTest {
  static final Pattern PID = Pattern.compile("marker: pid (\\S+) (\\d+)");
  static final Pattern STARTED = Pattern.compile("\\[kubelet\\] started container function \\(pid (\\d+)\\).*");
  static final String CODE = LocalRun.FIXTURES.resolve("unruly-code").toAbsolutePath().toString();
  static final List<String> KINDS = List.of("inherits-stdout", "ignores-sigterm", "own-session", "double-fork");
  /** A process just killed may take a moment to be gone from the process table. */
  static final Duration GONE_WITHIN = Duration.ofSeconds(5);
  static final Duration POLL = Duration.ofMillis(20);

  /** One run: how it is started, the exit status and last line expected, the kinds of process it leaves. */
  record Case(String name, String[] args, int exit, String lastLine, List<String> kinds) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Case stopped(String kind) {
    return new Case("stopped, a process that " + kind, args("unruly", "answer:" + kind), ExitCodes.OK,
        "[local] exit 0 (ok): 1 invocation(s) answered; the container stopped with status 0", List.of(kind));
  }

  static String[] args(String name, String event) {
    List<String> args = new ArrayList<>(List.of("--name", name, "--code-dir", CODE));
    if (event != null) {
      args.addAll(List.of("--invoke", event));
    }
    return args.toArray(String[]::new);
  }

  static Stream<Case> cases() {
    return Stream.concat(KINDS.stream().map(LocalOrphansTest::stopped), Stream.of(
        new Case("retired by itself after a timeout", args("unruly", "retire:all"), ExitCodes.FAILED,
            "[local] exit 1 (instance failed): invoke 1/1 answered FunctionTimeout: Function timed out after 1 "
                + "seconds; the container exited with status 3: Invocation ", KINDS),
        new Case("killed with SIGKILL after the grace period", args("unruly", "stubborn:all"), ExitCodes.FAILED,
            "[local] exit 1 (instance failed): the container did not exit within the grace period of 7s: killed "
                + "with SIGKILL", KINDS),
        new Case("the Initializer failed", args("unruly-init", null), ExitCodes.FAILED,
            "[local] exit 1 (instance failed): the container exited with status 1: Initializer "
                + "index.initialize_spawns_then_fails failed: RuntimeError: failed after starting processes", KINDS)));
  }

  static final Map<String, LocalRun> RUNS = new LinkedHashMap<>();

  /** The runs wait on the runtime and on timers most of the time: side by side, they keep the suite short. */
  @BeforeAll
  static void startRuns() {
    cases().forEach(c -> RUNS.put(c.name(), LocalRun.start("unruly.yaml", c.args())));
  }

  @AfterAll
  static void awaitRuns() {
    RUNS.values().forEach(LocalRun::awaitExit);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void noProcessOutlivesLocal(Case c) {
    LocalRun run = RUNS.get(c.name());

    assertThat(run.awaitExit()).as(run.err()).isEqualTo(c.exit());

    assertThat(run.lastLine()).startsWith(c.lastLine());
    Map<String, Long> pids = new LinkedHashMap<>();
    for (String line : run.errLines()) {
      Matcher m = PID.matcher(line);
      if (m.matches()) {
        pids.put(m.group(1), Long.parseLong(m.group(2)));
      }
    }
    assertThat(pids.keySet()).as("the processes the function started").containsExactlyElementsOf(c.kinds());
    pids.forEach((kind, pid) -> assertThat(goneWithin(pid, GONE_WITHIN))
        .as("the process that %s (pid %d) is gone", kind, pid).isTrue());
    Matcher started = STARTED.matcher(run.errLines().stream().filter(l -> STARTED.matcher(l).matches())
        .findFirst().orElseThrow());
    assertThat(started.matches()).isTrue();
    assertThat(Thread.getAllStackTraces().keySet()).as("the container's output was read to its end")
        .noneMatch(t -> t.getName().equals("container-output-" + started.group(1)) && t.isAlive());
    assertThat(run.errLines()).noneMatch(l -> l.contains("output is still open"));
  }

  /** True once no live process has that pid and the fixture's command line ({@code sleep 7777}). */
  static boolean goneWithin(long pid, Duration within) {
    long end = System.nanoTime() + within.toNanos();
    while (ProcessHandle.of(pid).filter(LocalOrphansTest::isTheFixturesSleep).isPresent()) {
      if (System.nanoTime() > end) {
        return false;
      }
      LockSupport.parkNanos(POLL.toNanos());
    }
    return true;
  }

  private static boolean isTheFixturesSleep(ProcessHandle process) {
    return process.isAlive() && process.info().arguments().map(a -> List.of(a).contains("7777")).orElse(true);
  }
}
