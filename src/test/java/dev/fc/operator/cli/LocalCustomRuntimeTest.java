package dev.fc.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code local} runs a custom runtime's pod as two processes: the user's server (its command with this machine's
 * programs, in the FunctionInstance file's folder for a custom container, at /code for custom.debian12) and the
 * adapter, driven as the kubelet drives the pod.
 */
class LocalCustomRuntimeTest {
  static final Path EXAMPLE = Path.of("examples/custom-container/function.yaml").toAbsolutePath();

  @Test
  void theCustomContainerExampleRunsItsServerBesideTheAdapterWithBothHooksInTheKubeletsOrder() {
    LocalRun run = LocalRun.of(EXAMPLE.toString(), "--invoke", "cool");
    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
    assertThat(run.outLines()).containsExactly("😎");
    List<String> err = run.errLines();
    assertThat(err).anyMatch(l -> l.matches("\\[kubelet\\] started container function \\(pid \\d+\\) of pod "
        + "emoji-custom-\\S+: python3 server.py in " + Pattern.quote(EXAMPLE.getParent().toString())));
    String init = requestId(err, "FC Initialize Start RequestId: ");
    String invoke = requestId(err, "FC Invoke Start RequestId: ");
    String preStop = requestId(err, "FC PreStop Start RequestId: ");
    // each process's lines in its order; between the two processes, only what one waits for in the other (two
    // pipes are read by two threads, so lines of the two arrive in either order)
    assertThat(err.stream().filter(l -> l.startsWith("[function] ")).toList()).containsSubsequence(
        "[function] " + init + " initializer: loaded 4 emojis",
        "[function] " + invoke + " invoked with 'cool'",
        "[function] " + preStop + " pre-stop: 4 emojis served, goodbye");
    assertThat(err).containsSubsequence(
        "FC Initialize Start RequestId: " + init,
        "FC Initialize End RequestId: " + init,
        "FC Invoke Start RequestId: " + invoke,
        "FC Invoke End RequestId: " + invoke,
        "[kubelet] preStop hook: GET /pre-stop",
        "FC PreStop Start RequestId: " + preStop,
        "FC PreStop End RequestId: " + preStop,
        "[kubelet] container exited with status 0",
        "[kubelet] container function exited with status 143 (SIGTERM)");
    assertThat(run.count(Pattern.compile("FC (Initialize|PreStop) Start .*"))).isEqualTo(2);
  }

  @Test
  void aCustomRuntimesServerRunsAtItsCodeFolderWithTheLocalPortsInItsEnvironment() {
    LocalRun run = LocalRun.of("custom.yaml", "--name", "debian", "--invoke", "you");
    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
    assertThat(run.outLines()).containsExactly("hello you");
    String invoke = requestId(run.errLines(), "FC Invoke Start RequestId: ");
    assertThat(run.errLines()).anyMatch(l -> l.matches("\\[function\\] server: cwd (\\S+)/function/volumes/fc-code, "
        + "FC_FUNC_CODE_PATH \\1/function/volumes/fc-code/"))
        .contains("[function] server: /invoke " + invoke + " you")
        .anyMatch(l -> l.matches("\\[function\\] server: /initialize \\S+ "))
        .anyMatch(l -> l.matches("\\[function\\] server: /pre-stop \\S+"));
  }

  @Test
  void aCustomContainerWithoutACommandIsRefusedNamingTheField() {
    LocalRun run = LocalRun.of("custom.yaml", "--name", "no-command");
    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(run.err()).contains("container function (image registry.example.com/team/server:1) has no command")
        .contains("set customContainerConfig.command");
  }

  @Test
  void aProgramThisMachineDoesNotHaveIsRefusedNamingIt() {
    LocalRun run = LocalRun.of("custom.yaml", "--name", "missing-program");
    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(run.err()).contains("container function runs fc-no-such-program-for-local from image "
        + "registry.example.com/team/server:1, which this machine does not have on its PATH");
  }

  @Test
  void aServerThatExitsEndsTheInstance() {
    LocalRun run = LocalRun.of("custom.yaml", "--name", "exits", "--invoke", "x");
    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.FAILED);
    assertThat(run.errLines()).contains("[function] giving up", "[kubelet] container function exited with status 5");
    assertThat(run.lastLine()).contains("container function (the function's server) exited with status 5 while "
        + "the instance ran");
  }

  private static String requestId(List<String> lines, String marker) {
    return lines.stream().filter(l -> l.startsWith(marker)).findFirst().orElseThrow(
        () -> new AssertionError("no " + marker + " in " + lines)).substring(marker.length());
  }
}
