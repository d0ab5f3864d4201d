package dev.fc.operator.desired;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HookTimingPolicyTest {

  /** Every row of the worked table in docs/hooks.md is what the code computes. */
  @Test
  void docsTableMatchesTheFormula() throws IOException {
    List<String[]> rows = Files.readAllLines(Path.of("docs/hooks.md")).stream()
        .filter(line -> line.matches("^\\| (—|\\d+) \\| (—|\\d+) \\| \\d+ \\|.*"))
        .map(line -> line.substring(1, line.length() - 1).split("\\|"))
        .toList();
    assertThat(rows).as("rows of the worked table in docs/hooks.md").hasSizeGreaterThanOrEqualTo(8);
    for (String[] row : rows) {
      int[] v = new int[row.length];
      for (int i = 0; i < row.length; i++) {
        String cell = row[i].strip();
        v[i] = cell.equals("—") ? 0 : Integer.parseInt(cell);
      }
      HookTimings t = HookTimingPolicy.compute(v[0], v[1], v[2]);
      assertThat(new int[] {t.startupHoldSeconds(), t.startup().timeoutSeconds(), t.startup().failureThreshold(),
          t.startupWindowAnsweredSeconds(), t.startupWindowSilentSeconds(), (int) t.terminationGracePeriodSeconds()})
          .as("docs/hooks.md row %s", String.join("|", row))
          .containsExactly(v[3], v[4], v[5], v[6], v[7], v[8]);
      assertThat(t.startup().periodSeconds()).isEqualTo(1);
      assertThat(t.readiness()).isEqualTo(new HookTimings.ProbeTiming(1, 2, 3));
    }
  }

  @ParameterizedTest(name = "init={0}s preStop={1}s timeout={2}s")
  @CsvSource({"0,0,3", "1,1,3", "3,3,3", "60,60,30", "61,10,3", "600,600,3", "3600,30,60", "86400,86400,86400"})
  void runtimeEnforcementAlwaysActsBeforeTheKubelet(int init, int preStop, int timeout) {
    HookTimings t = HookTimingPolicy.compute(init, preStop, timeout);
    // one held probe outlasts code loading, the whole Initializer and the runtime's own cut-off
    assertThat(t.startupHoldSeconds())
        .isGreaterThanOrEqualTo(init + HookTimingPolicy.ENFORCEMENT_MARGIN_SECONDS);
    // the kubelet never times a held probe out before the runtime answers it
    assertThat(t.startup().timeoutSeconds()).isGreaterThan(t.startupHoldSeconds());
    // refused probes while Python starts, and while the runtime exits after enforcing, fit in the threshold
    assertThat((t.startup().failureThreshold() - 1) * t.startup().periodSeconds())
        .isGreaterThanOrEqualTo(HookTimingPolicy.STARTUP_ALLOWANCE_SECONDS + HookTimingPolicy.ENFORCEMENT_MARGIN_SECONDS);
    // the kubelet gives up on a runtime that answers 503 soon after the hold: within F periods of it
    assertThat(t.startupWindowAnsweredSeconds())
        .isGreaterThanOrEqualTo(HookTimingPolicy.STARTUP_ALLOWANCE_SECONDS + init
            + HookTimingPolicy.ENFORCEMENT_MARGIN_SECONDS)
        .isLessThan(t.startupHoldSeconds() + t.startup().failureThreshold() * t.startup().periodSeconds());
    assertThat(t.startupWindowSilentSeconds()).isGreaterThanOrEqualTo(t.startupWindowAnsweredSeconds());
    // the grace countdown starts before preStop: drain + PreStop + room to exit must fit inside it
    assertThat(t.terminationGracePeriodSeconds())
        .isEqualTo((long) timeout + preStop + HookTimingPolicy.STOP_ALLOWANCE_SECONDS);
    assertThat(t.drainSeconds()).isEqualTo(timeout);
  }

  @Test
  void theHoldFollowsTheInitializerTimeoutAndTheProbePeriodDoesNot() {
    assertThat(HookTimingPolicy.compute(0, 0, 3).startupHoldSeconds()).isEqualTo(10);
    assertThat(HookTimingPolicy.compute(1, 0, 3).startupHoldSeconds()).isEqualTo(11);
    assertThat(HookTimingPolicy.compute(600, 0, 3).startupHoldSeconds()).isEqualTo(610);
    assertThat(HookTimingPolicy.compute(600, 0, 3).startup().periodSeconds()).isEqualTo(1);
    assertThat(HookTimingPolicy.compute(600, 0, 3).readiness().periodSeconds()).isEqualTo(1);
  }
}
