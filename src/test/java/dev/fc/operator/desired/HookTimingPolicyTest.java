package dev.fc.operator.desired;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

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
      assertThat(new int[] {t.startup().periodSeconds(), t.startup().failureThreshold(),
          t.startup().failureWindowSeconds(), t.readiness().periodSeconds(), (int) t.terminationGracePeriodSeconds()})
          .as("docs/hooks.md row %s", String.join("|", row))
          .containsExactly(v[3], v[4], v[5], v[6], v[7]);
    }
  }

  @ParameterizedTest(name = "init={0}s preStop={1}s timeout={2}s")
  @CsvSource({"0,0,3", "1,1,3", "3,3,3", "60,60,30", "61,10,3", "600,600,3", "3600,30,60", "86400,86400,86400"})
  void runtimeEnforcementAlwaysActsBeforeTheKubelet(int init, int preStop, int timeout) {
    HookTimings t = HookTimingPolicy.compute(init, preStop, timeout);
    // the probe window covers start-up, the whole Initializer and the runtime's own timeout handling
    assertThat(t.startup().failureWindowSeconds())
        .isGreaterThanOrEqualTo(HookTimingPolicy.STARTUP_ALLOWANCE_SECONDS + init
            + HookTimingPolicy.ENFORCEMENT_MARGIN_SECONDS);
    // ... and not more than one period beyond that
    assertThat(t.startup().failureWindowSeconds())
        .isLessThan(HookTimingPolicy.STARTUP_ALLOWANCE_SECONDS + init
            + HookTimingPolicy.ENFORCEMENT_MARGIN_SECONDS + t.startup().periodSeconds());
    assertThat(t.startup().periodSeconds()).isBetween(1, HookTimingPolicy.MAX_PERIOD_SECONDS);
    // the grace countdown starts before preStop: drain + PreStop + room to exit must fit inside it
    assertThat(t.terminationGracePeriodSeconds())
        .isEqualTo((long) timeout + preStop + HookTimingPolicy.STOP_ALLOWANCE_SECONDS);
    assertThat(t.drainSeconds()).isEqualTo(timeout);
    assertThat(t.readiness().periodSeconds()).isEqualTo(t.startup().periodSeconds());
  }

  @Test
  void shortInitializersAreProbedEverySecond() {
    assertThat(HookTimingPolicy.compute(1, 0, 3).startup().periodSeconds()).isEqualTo(1);
    assertThat(HookTimingPolicy.compute(60, 0, 3).startup().periodSeconds()).isEqualTo(1);
    assertThat(HookTimingPolicy.compute(61, 0, 3).startup().periodSeconds()).isEqualTo(2);
    assertThat(HookTimingPolicy.compute(601, 0, 3).startup().periodSeconds()).isEqualTo(10);
  }
}
