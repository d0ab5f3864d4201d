package dev.fc.operator.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fc.operator.desired.HookTimingPolicy;
import dev.fc.operator.desired.HookTimings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The probe schedule, on a fake clock: when each attempt happens and when the kubelet gives up. */
class LocalProbeRunnerTest {
  /** A clock that jumps to each deadline at once. */
  static final class FakeTicker implements Ticker {
    long now;

    @Override
    public long nanoTime() {
      return now;
    }

    @Override
    public boolean awaitUntil(long deadlineNanos, CompletableFuture<?> wake) {
      if (wake.isDone()) {
        return false;
      }
      now = Math.max(now, deadlineNanos);
      return true;
    }
  }

  final FakeTicker ticker = new FakeTicker();
  final List<Double> attemptsAt = new ArrayList<>();
  final List<String> log = new ArrayList<>();

  /** Answers from the script, each taking the given seconds of (fake) time. */
  ProbeRunner.Action scripted(double takesSeconds, boolean... answers) {
    Iterator<Boolean> next = new ArrayList<Boolean>() {{
        for (boolean a : answers) {
          add(a);
        }
      }}.iterator();
    return timeout -> {
      attemptsAt.add(ticker.now / 1e9);
      ticker.now += (long) (takesSeconds * 1e9);
      boolean success = next.hasNext() ? next.next() : false;
      return new ProbeRunner.Attempt(success, success ? "HTTP 200" : "HTTP 503");
    };
  }

  ProbeRunner runner(ProbeRunner.Timing timing, ProbeRunner.Action action) {
    return new ProbeRunner("startup", timing, action, ticker, log::add);
  }

  @Test
  void startupProbeOfOneSecondHooksGivesUpAfterItsWindow() throws Exception {
    HookTimings.ProbeTiming startup = HookTimingPolicy.compute(1, 1, 1).startup();
    var timing = new ProbeRunner.Timing(0, startup.periodSeconds(), startup.timeoutSeconds(), startup.failureThreshold());

    var result = runner(timing, scripted(0.01)).untilSuccess(0, new CompletableFuture<>());

    assertThat(result).isEqualTo(ProbeRunner.Result.FAILED);
    assertThat(attemptsAt).hasSize(18).first().isEqualTo(0.0);
    assertThat(attemptsAt.get(17)).isEqualTo(17.0);
    assertThat(log.get(0)).isEqualTo("startup probe failed: HTTP 503 (attempt 1/18)");
    assertThat(log).last().isEqualTo("startup probe failed: HTTP 503 (attempt 18/18)");
  }

  @Test
  void initialDelayAndPeriodPlaceTheAttemptsAndSuccessEndsThem() throws Exception {
    var result = runner(new ProbeRunner.Timing(3, 2, 1, 5), scripted(0.1, false, false, true))
        .untilSuccess(Duration.ofSeconds(10).toNanos(), new CompletableFuture<>());

    assertThat(result).isEqualTo(ProbeRunner.Result.SUCCEEDED);
    assertThat(attemptsAt).containsExactly(13.0, 15.0, 17.0);
    assertThat(log).last().isEqualTo("startup probe succeeded after 2 failure(s)");
  }

  @Test
  void anAttemptLongerThanThePeriodIsFollowedAtOnceAsGosTickerKeepsOneTick() throws Exception {
    runner(new ProbeRunner.Timing(0, 1, 3, 3), scripted(2.5)).untilSuccess(0, new CompletableFuture<>());

    assertThat(attemptsAt).containsExactly(0.0, 2.5, 5.0);
  }

  @Test
  void aShortAttemptAfterALongOneWaitsForTheNextTick() throws Exception {
    double[] takes = {2.5, 0.1, 0.1};
    ProbeRunner.Action action = timeout -> {
      attemptsAt.add(ticker.now / 1e9);
      ticker.now += (long) (takes[attemptsAt.size() - 1] * 1e9);
      return new ProbeRunner.Attempt(false, "HTTP 503");
    };
    runner(new ProbeRunner.Timing(0, 1, 3, 3), action).untilSuccess(0, new CompletableFuture<>());

    assertThat(attemptsAt).containsExactly(0.0, 2.5, 3.0);
  }

  @Test
  void aProbeThatMayOnlyBeginLaterBeginsAtTheWorkersNextTick() throws Exception {
    ticker.now = Duration.ofMillis(4300).toNanos(); // the startup probe succeeded 4.3 s after the start
    runner(new ProbeRunner.Timing(0, 1, 2, 3), scripted(0.01, true)).untilSuccess(0, new CompletableFuture<>());

    assertThat(attemptsAt).containsExactly(5.0);
  }

  @Test
  void anAbortEndsTheProbing() throws Exception {
    CompletableFuture<Void> abort = new CompletableFuture<>();
    ProbeRunner.Action action = timeout -> {
      attemptsAt.add(ticker.now / 1e9);
      if (attemptsAt.size() == 2) {
        abort.complete(null);
      }
      return new ProbeRunner.Attempt(false, "connection refused");
    };

    var result = runner(new ProbeRunner.Timing(0, 1, 1, 10), action).untilSuccess(0, abort);

    assertThat(result).isEqualTo(ProbeRunner.Result.ABORTED);
    assertThat(attemptsAt).hasSize(2);
    assertThat(log).hasSize(1);
  }

  @Test
  void kubernetesDefaultsForUnsetFields() {
    var timing = ProbeRunner.Timing.of(new io.fabric8.kubernetes.api.model.Probe());
    assertThat(timing).isEqualTo(new ProbeRunner.Timing(0, 10, 1, 3));
  }
}
