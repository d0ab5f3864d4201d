package dev.fc.operator.cli;

import dev.fc.operator.manifest.FunctionInstanceFile;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.desired.HookTimingPolicy;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** {@code local} end to end: the real runtime in python3, driven by the pod spec the operator builds. */
class LocalCommandTest {
  static final String ID = "[0-9a-f-]{36}";
  static final Pattern INIT_START = Pattern.compile("FC Initialize Start RequestId: " + ID);
  static final Pattern INIT_END = Pattern.compile("FC Initialize End RequestId: " + ID + ".*");
  static final Pattern INVOKE_START = Pattern.compile("FC Invoke Start RequestId: " + ID);
  static final Pattern PRESTOP_START = Pattern.compile("FC PreStop Start RequestId: " + ID);
  static final Pattern PRESTOP_END = Pattern.compile("FC PreStop End RequestId: " + ID + ".*");
  static final Pattern ANY_FC_LINE = Pattern.compile("FC .*");

  @Test
  void initializerRunsOnceBeforeTheFirstInvocationAndNeverAgain() {
    List<String> args = new ArrayList<>();
    IntStream.rangeClosed(1, 20).forEach(i -> args.addAll(List.of("--invoke", "e" + i)));
    LocalRun run = LocalRun.of("hooks.yaml", args.toArray(String[]::new));

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.outLines()).containsExactlyElementsOf(
        IntStream.rangeClosed(1, 20).mapToObj(i -> "e" + i + " after 1 initialization(s)").toList());
    assertThat(run.count(INIT_START)).isEqualTo(1);
    assertThat(run.count(INIT_END)).isEqualTo(1);
    assertThat(run.count(INVOKE_START)).isEqualTo(20);
    List<String> markers = run.errLines().stream().filter(l -> l.startsWith("marker: ")).toList();
    List<String> expected = new ArrayList<>(List.of("marker: initialize"));
    IntStream.rangeClosed(1, 20).forEach(i -> expected.add("marker: invoke e" + i));
    expected.add("marker: pre_stop");
    assertThat(markers).containsExactlyElementsOf(expected);
    assertThat(run.lastLine()).startsWith("[local] exit 0 (ok): 20 invocation(s) answered");
  }

  @Test
  void preStopRunsExactlyOnceAtStopThenSigterm() {
    LocalRun run = LocalRun.of("hooks.yaml", "--invoke", "a");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.count(PRESTOP_START)).isEqualTo(1);
    assertThat(run.count(PRESTOP_END)).isEqualTo(1);
    assertThat(run.count(Pattern.compile("marker: pre_stop"))).isEqualTo(1);
    List<String> fcKinds = run.errLines().stream().filter(l -> ANY_FC_LINE.matcher(l).matches())
        .map(l -> l.split(" ")[1] + " " + l.split(" ")[2]).toList();
    assertThat(fcKinds).containsExactly("Initialize Start", "Initialize End", "Invoke Start", "Invoke End",
        "PreStop Start", "PreStop End");
    List<String> lines = run.errLines();
    int hook = indexOf(lines, "\\[kubelet\\] preStop hook returned HTTP 200 .*\"status\": \"succeeded\".*");
    int sigterm = indexOf(lines, "\\[kubelet\\] killing: SIGTERM, grace \\d+s left");
    assertThat(indexOf(lines, PRESTOP_END.pattern())).isLessThan(hook);
    assertThat(hook).isLessThan(sigterm);
    assertThat(lines).contains("[kubelet] container exited with status 0");
  }

  @Test
  void initializerThatRaisesFailsTheRunWithTheTerminationMessage() {
    LocalRun run = LocalRun.of("init-fails.yaml", "--invoke", "a");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.FAILED);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("ConnectionError: database unreachable");
    assertThat(run.count(Pattern.compile("FC Initialize End RequestId: " + ID + ", Error: Unhandled function error")))
        .isEqualTo(1);
    assertThat(run.errLines()).anySatisfy(l -> assertThat(l)
        .startsWith("[kubelet] termination message: {\"exitReason\":\"InitializerFailed\"")
        .contains("database unreachable"));
    assertThat(run.count(PRESTOP_START)).as("no PreStop for a container that exited").isZero();
    assertThat(run.lastLine()).isEqualTo("[local] exit 1 (instance failed): the container exited with status 1: "
        + "Initializer index.initialize failed: ConnectionError: database unreachable");
  }

  @Test
  void initializerThatHangsIsStoppedByTheRuntimeAtItsTimeout() throws Exception {
    FunctionInstance fi = FunctionInstanceFile.read(LocalRun.FIXTURES.resolve("init-hangs.yaml")).get(0);
    long timeoutMillis = fi.getSpec().getInstanceLifecycleConfig().getInitializer().getTimeout() * 1000L;
    long allowanceMillis = HookTimingPolicy.ENFORCEMENT_MARGIN_SECONDS * 1000L;

    LocalRun run = LocalRun.of("init-hangs.yaml", "--invoke", "a");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.FAILED);
    // The Initializer's own clock reading (CLOCK_MONOTONIC, as System.nanoTime()) to the moment the exit
    // was reported: any delay in passing lines on only lengthens it, so "never before" cannot flake.
    String started = run.awaitLine(Pattern.compile("marker: initialize started at \\d+")).text();
    long startedNanos = Long.parseLong(started.substring(started.lastIndexOf(' ') + 1));
    LocalRun.Line exited = run.awaitLine(Pattern.compile("\\[kubelet\\] container exited with status 2"));
    assertThat(startedNanos).as("same clock").isBetween(
        run.awaitLine(Pattern.compile("\\[kubelet\\] started container .*")).nanos(), exited.nanos());
    long elapsed = TimeUnit.NANOSECONDS.toMillis(exited.nanos() - startedNanos);
    System.out.printf("Initializer hang: start to exit %d ms (timeout %d ms)%n", elapsed, timeoutMillis);
    assertThat(elapsed).isGreaterThanOrEqualTo(timeoutMillis).isLessThan(timeoutMillis + allowanceMillis);
    assertThat(run.errLines()).anySatisfy(l -> assertThat(l)
        .startsWith("[kubelet] termination message: {\"exitReason\":\"InitializerTimeout\""));
    assertThat(run.lastLine()).startsWith("[local] exit 1 (instance failed): the container exited with status 2: "
        + "Initializer index.initialize timed out after 1 seconds");
  }

  @Test
  void withoutHooksNoInitializeOrPreStopLines() {
    LocalRun run = LocalRun.of("variants.yaml", "--name", "no-hooks", "--invoke", "a");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.count(Pattern.compile("FC (Initialize|PreStop) .*"))).isZero();
    assertThat(run.count(INVOKE_START)).isEqualTo(1);
    assertThat(run.out()).matches("\\{\"event\": \"a\", \"instance\": \"no-hooks-[0-9a-f]+-[a-z0-9]{5}\"}\n");
    assertThat(run.errLines()).anySatisfy(l -> assertThat(l)
        .matches("\\[kubelet\\] preStop hook returned HTTP 200 .*\\{\"status\": \"notConfigured\"}"));
  }

  @Test
  void initializerWithoutPreStop() {
    LocalRun run = LocalRun.of("variants.yaml", "--name", "initializer-only", "--invoke", "a", "--invoke", "b");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.outLines()).containsExactly("ok", "ok");
    assertThat(run.count(INIT_START)).isEqualTo(1);
    assertThat(run.count(PRESTOP_START)).isZero();
  }

  @Test
  void anInvocationErrorFailsTheRunButTheOthersAreAnswered() {
    LocalRun run = LocalRun.of("hooks.yaml", "--invoke", "a", "--invoke", "fail", "--invoke", "b");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.FAILED);
    List<String> out = run.outLines();
    assertThat(out).hasSize(3);
    assertThat(out.get(0)).isEqualTo("a after 1 initialization(s)");
    assertThat(out.get(1)).contains("\"errorType\": \"ValueError\"").contains("asked to fail");
    assertThat(out.get(2)).isEqualTo("b after 1 initialization(s)");
    assertThat(run.count(PRESTOP_START)).isEqualTo(1);
    assertThat(run.lastLine()).isEqualTo("[local] exit 1 (instance failed): invoke 2/3 answered "
        + "UnhandledInvocationError: asked to fail");
  }

  @Test
  void httpFunctionsGetThePostOnTheRootPath() {
    LocalRun run = LocalRun.of("variants.yaml", "--name", "wsgi", "--invoke", "hello");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).isEqualTo("POST /: hello\n");
  }

  @Test
  void withoutInvokeItServesUntilStopped() throws Exception {
    LocalRun run = LocalRun.start("hooks.yaml");
    String serving = run.awaitLine(Pattern.compile("\\[local\\] serving http://.*")).text();
    Matcher url = Pattern.compile("(http://\\S+)").matcher(serving);
    assertThat(url.find()).isTrue();
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(url.group(1))).POST(HttpRequest.BodyPublishers.ofString("served")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.body()).isEqualTo("served after 1 initialization(s)");
    run.awaitLine(Pattern.compile("FC Invoke End RequestId: " + ID));
    assertThat(run.count(PRESTOP_START)).isZero();

    run.stop();

    assertThat(run.awaitExit()).as(run.err()).isZero();
    assertThat(run.count(PRESTOP_START)).isEqualTo(1);
    assertThat(run.out()).as("stdout is for --invoke answers").isEmpty();
    assertThat(run.lastLine()).startsWith("[local] exit 0 (ok): served until stopped");
  }

  // ---- bad input -------------------------------------------------------------------------------

  @Test
  void severalInstancesNeedName() {
    LocalRun run = LocalRun.of("variants.yaml", "--invoke", "a");
    assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(run.lastLine()).isEqualTo("[local] exit 2 (bad input): " + LocalRun.FIXTURES.resolve("variants.yaml")
        + " holds 3 FunctionInstances (no-hooks, initializer-only, wsgi): choose one with --name");

    LocalRun unknown = LocalRun.of("variants.yaml", "--name", "nope");
    assertThat(unknown.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(unknown.lastLine()).contains("no FunctionInstance named \"nope\"; it holds: no-hooks, ");
  }

  @Test
  void missingOrInvalidFileIsBadInput() {
    LocalRun missing = LocalRun.of("nope.yaml");
    assertThat(missing.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(missing.lastLine()).isEqualTo("[local] exit 2 (bad input): "
        + LocalRun.FIXTURES.resolve("nope.yaml") + ": no such file");
  }

  @Test
  void codeFromTheClusterNeedsCodeDir() {
    LocalRun run = LocalRun.of("configmap.yaml", "--invoke", "a");
    assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(run.lastLine()).startsWith("[local] exit 2 (bad input): ")
        .contains("spec.code.configMap \"from-configmap-code\" is in the cluster and cannot be fetched locally")
        .contains("--code-dir DIR");

    Path codeDir = LocalRun.FIXTURES.resolve("code").toAbsolutePath();
    LocalRun withDir = LocalRun.of("configmap.yaml", "--code-dir", codeDir.toString(), "--invoke", "a");
    assertThat(withDir.exitCode()).as(withDir.err()).isZero();
    assertThat(withDir.out()).isEqualTo("hello from " + codeDir + "/\n");
    assertThat(withDir.errLines()).contains("[kubelet] env GREETING: secretKeyRef greetings/greeting cannot be "
        + "resolved locally: skipped; set GREETING in your environment to pass a value");
  }

  @Test
  void aTakenPortIsBadInput() throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      LocalRun run = LocalRun.of("hooks.yaml", "--port", String.valueOf(taken.getLocalPort()), "--invoke", "a");
      assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
      assertThat(run.lastLine()).isEqualTo("[local] exit 2 (bad input): port " + taken.getLocalPort()
          + " is already in use on this machine: choose another with --port (0 picks a free one)");
    }
  }

  static int indexOf(List<String> lines, String regex) {
    Pattern pattern = Pattern.compile(regex);
    return IntStream.range(0, lines.size()).filter(i -> pattern.matcher(lines.get(i)).matches()).findFirst()
        .orElseThrow(() -> new AssertionError("no line matching " + regex + " in:\n" + String.join("\n", lines)));
  }
}
