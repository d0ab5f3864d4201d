package dev.fc.operator.local;

import java.time.Duration;

/**
 * The kubelet's arithmetic when it stops a container: {@code terminationGracePeriodSeconds} starts
 * counting before the preStop hook; the hook may run until the grace period ends; then SIGTERM, and
 * SIGKILL after what is left of the grace period, the hook's time counted in whole seconds as the
 * kubelet does, and never less than {@link #MINIMUM_SECONDS}: so a hook still running at the end of
 * the grace period leaves 2 more seconds.
 */
public final class GracePeriod {
  public static final long MINIMUM_SECONDS = 2;

  private GracePeriod() {}

  /** How long the preStop hook may run: the whole grace period. */
  public static Duration hookLimit(long graceSeconds) {
    return Duration.ofSeconds(graceSeconds);
  }

  /** Seconds from SIGTERM to SIGKILL, after a preStop hook that took {@code hookElapsed}. */
  public static long afterHook(long graceSeconds, Duration hookElapsed) {
    return Math.max(MINIMUM_SECONDS, graceSeconds - hookElapsed.toSeconds());
  }
}
