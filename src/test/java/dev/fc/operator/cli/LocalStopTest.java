package dev.fc.operator.cli;

import dev.fc.operator.manifest.FunctionInstanceFile;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fc.operator.local.GracePeriod;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The kubelet's stop, measured: the preStop hook within terminationGracePeriodSeconds (read from the
 * pod the operator builds), SIGTERM, SIGKILL when the grace period is over and not before.
 */
class LocalStopTest {
  static final String ID = LocalCommandTest.ID;
  static final Pattern STOPPING = Pattern.compile("\\[kubelet\\] stopping container function: .*");
  static final Pattern SIGKILL = Pattern.compile("\\[kubelet\\] grace period over, container still running: SIGKILL");
  /** Scheduling slack on a busy machine, on top of what the kubelet is meant to wait. */
  static final long SLACK_MILLIS = 1500;

  static LocalRun preStopHangs;
  static LocalRun ignoresSigterm;
  static LocalRun stuck;

  /** The three runs wait on timers most of the time: they run side by side to keep the suite short. */
  @BeforeAll
  static void startRuns() {
    preStopHangs = LocalRun.start("stop.yaml", "--name", "prestop-hangs", "--invoke", "a");
    ignoresSigterm = LocalRun.start("stop.yaml", "--name", "ignores-sigterm", "--invoke", "a");
    stuck = LocalRun.start("stop.yaml", "--name", "stuck", "--invoke", "a");
  }

  @AfterAll
  static void awaitRuns() {
    for (LocalRun run : new LocalRun[] {preStopHangs, ignoresSigterm, stuck}) {
      run.awaitExit();
    }
  }

  @Test
  void preStopThatHangsIsCutByTheRuntimeAtItsTimeoutNeverBefore() throws Exception {
    long timeoutMillis = 1000L * FunctionInstanceFile.read(LocalRun.FIXTURES.resolve("stop.yaml")).get(0).getSpec()
        .getInstanceLifecycleConfig().getPreStop().getTimeout();

    LocalRun run = preStopHangs;
    run.awaitExit();

    // From the hook's request, which PreStop cannot precede, to the End line as it arrived: never shorter
    // than PreStop really ran.
    long elapsed = run.millisBetween(Pattern.compile("\\[kubelet\\] preStop hook: GET /pre-stop"),
        Pattern.compile("FC PreStop End RequestId: " + ID + ", Error: Unhandled function error"));
    System.out.printf("PreStop hang: start to end %d ms (timeout %d ms)%n", elapsed, timeoutMillis);
    assertThat(elapsed).isGreaterThanOrEqualTo(timeoutMillis).isLessThan(timeoutMillis + SLACK_MILLIS);
    assertThat(run.errLines()).anySatisfy(l -> assertThat(l)
        .matches("\\[kubelet\\] preStop hook returned HTTP 200 .*\"status\": \"timeout\".*"));
    assertThat(run.errLines()).contains("[kubelet] container exited with status 0");
    assertThat(run.count(SIGKILL)).isZero();
    assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(run.lastLine()).isEqualTo("[local] exit 1 (instance failed): PreStop timed out: "
        + "PreStop index.pre_stop timed out after 1 seconds");
  }

  @Test
  void runtimeIgnoringSigtermIsKilledWhenTheGraceRunsOut() throws Exception {
    long grace = LocalRun.pod("stop.yaml", "ignores-sigterm").getSpec().getTerminationGracePeriodSeconds();

    LocalRun run = ignoresSigterm;
    run.awaitExit();

    assertThat(run.errLines()).contains("marker: SIGTERM ignored", "[kubelet] killing: SIGTERM, grace " + grace
        + "s left", "[kubelet] container exited with status 137 (SIGKILL)");
    long elapsed = run.millisBetween(STOPPING, SIGKILL);
    System.out.printf("SIGTERM ignored: stop to SIGKILL %d ms (grace %d s)%n", elapsed, grace);
    assertThat(elapsed).isGreaterThanOrEqualTo(grace * 1000).isLessThan(grace * 1000 + SLACK_MILLIS);
    assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(run.lastLine()).isEqualTo("[local] exit 1 (instance failed): the container did not exit within "
        + "the grace period of " + grace + "s: killed with SIGKILL");
  }

  @Test
  void preStopHookStillRunningAtTheDeadlineGetsTwoMoreSecondsThenSigkill() throws Exception {
    long grace = LocalRun.pod("stop.yaml", "stuck").getSpec().getTerminationGracePeriodSeconds();

    LocalRun run = stuck;
    run.awaitExit();

    long hookCut = run.millisBetween(STOPPING,
        Pattern.compile("\\[kubelet\\] preStop hook still running at the end of the grace period .*"));
    long killed = run.millisBetween(STOPPING, SIGKILL);
    System.out.printf("Stuck PreStop: stop to hook cut %d ms, to SIGKILL %d ms (grace %d s)%n", hookCut, killed, grace);
    assertThat(hookCut).isGreaterThanOrEqualTo(grace * 1000).isLessThan(grace * 1000 + SLACK_MILLIS);
    long last = (grace + GracePeriod.MINIMUM_SECONDS) * 1000;
    assertThat(killed).isGreaterThanOrEqualTo(last).isLessThan(last + SLACK_MILLIS);
    assertThat(run.errLines()).contains("marker: freezing",
        "[kubelet] killing: SIGTERM, grace " + GracePeriod.MINIMUM_SECONDS + "s left",
        "[kubelet] container exited with status 137 (SIGKILL)");
    assertThat(run.count(Pattern.compile("FC PreStop End .*"))).isZero();
    assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(run.lastLine()).isEqualTo("[local] exit 1 (instance failed): the preStop hook outlasted the grace "
        + "period of " + grace + "s; the container did not exit within the grace period of " + grace
        + "s: killed with SIGKILL");
  }
}
