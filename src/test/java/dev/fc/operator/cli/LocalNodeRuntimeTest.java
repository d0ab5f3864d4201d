package dev.fc.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code local} runs a Node.js function with this machine's node, as the kubelet would run its pod. */
class LocalNodeRuntimeTest {
  static final Path EXAMPLE = Path.of("examples/hello-node.yaml").toAbsolutePath();
  static final Pattern LOGGER = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z (\\S+) \\[info\\] (.*)");

  @Test
  void theNodeExampleAnswersWithFcsLinesAndBothHooksOnce() {
    LocalRun run = LocalRun.of(EXAMPLE.toString(), "--invoke", "happy", "--invoke", "cool");
    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
    assertThat(run.outLines()).containsExactly("😄", "😎");
    List<String> err = run.errLines();
    assertThat(err.get(0)).startsWith("[local] pod emojinode-").contains("image node:20-slim replaced by the local node");
    String init = after(err, "FC Initialize Start RequestId: ");
    String preStop = after(err, "FC PreStop Start RequestId: ");
    assertThat(err).containsSubsequence(
        "FC Initialize Start RequestId: " + init,
        "FC Initialize End RequestId: " + init,
        "[kubelet] container ready",
        "[kubelet] preStop hook: GET /pre-stop",
        "FC PreStop Start RequestId: " + preStop,
        "FC PreStop End RequestId: " + preStop);
    assertThat(err).anySatisfy(l -> {
      var m = LOGGER.matcher(l);
      assertThat(m.matches()).isTrue();
      assertThat(m.group(1)).isEqualTo(init);
      assertThat(m.group(2)).isEqualTo("initializer: loaded 4 emojis");
    });
    assertThat(run.count(Pattern.compile("FC (Initialize|PreStop) Start .*"))).isEqualTo(2);
    assertThat(run.lastLine()).startsWith("[local] exit 0 (ok): 2 invocation(s) answered");
  }

  private static String after(List<String> lines, String marker) {
    return lines.stream().filter(l -> l.startsWith(marker)).findFirst().orElseThrow(
        () -> new AssertionError("no " + marker + " in " + lines)).substring(marker.length());
  }
}
