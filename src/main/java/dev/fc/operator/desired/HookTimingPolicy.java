package dev.fc.operator.desired;

import dev.fc.operator.api.FunctionInstanceSpec;
import dev.fc.operator.api.LifecycleHook;

/**
 * The one formula that turns hook timeouts into kubelet settings. docs/hooks.md explains it with a
 * worked table; {@code HookTimingPolicyTest} checks that table.
 *
 * <ul>
 *   <li>The runtime starts the Initializer as soon as it has loaded, and long-polls the startup probe: a
 *       {@code GET /startup} is held until the Initializer succeeds (200) or fails (500), or until the hold
 *       runs out (503), {@code hold = STARTUP_ALLOWANCE + T_init} seconds after the runtime started it
 *       ({@code FC_STARTUP_PROBE_HOLD}). The runtime enforces {@code T_init} itself, so one held probe sees
 *       the outcome of every Initializer the runtime can still answer for.
 *   <li>Startup probe: period 1 s, so a probe that meets a runtime not yet listening comes back within a
 *       second; {@code timeoutSeconds = hold + ANSWER_MARGIN}, so the kubelet never gives up on a held probe
 *       before the runtime answers it; {@code failureThreshold = STARTUP_ALLOWANCE + ENFORCEMENT_MARGIN +
 *       SPARE_FAILURES}: refused connections while Python starts, the held probe, and the runtime's own exit
 *       after it enforced the timeout, all fit before the kubelet gives up.
 *   <li>Readiness probe: period 1 s, timeout 2 s, failureThreshold 3. Kept, because a 1.20 kubelet only
 *       marks a container without one ready at its next pod sync (docs/hooks.md).
 *   <li>terminationGracePeriodSeconds = drain + T_preStop + STOP_ALLOWANCE, where drain = the invocation
 *       timeout (in-flight invocations may finish). The kubelet starts this countdown before the preStop
 *       hook runs, so the whole hook fits inside it, and the runtime's own PreStop cut-off acts first.
 * </ul>
 */
public final class HookTimingPolicy {
  /** Interpreter start-up and code loading before the Initializer can start. */
  public static final int STARTUP_ALLOWANCE_SECONDS = 10;
  /** Room for the runtime to enforce a hook timeout itself, write its termination message and exit. */
  public static final int ENFORCEMENT_MARGIN_SECONDS = 5;
  /** Failures beyond those the formula expects: probes racing the container's start, a dropped connection. */
  public static final int SPARE_FAILURES = 3;
  /** Room after drain and PreStop for the runtime to answer the hook and exit on SIGTERM. */
  public static final int STOP_ALLOWANCE_SECONDS = 5;
  /** How much longer the kubelet waits for a held startup probe than the runtime may hold it. */
  public static final int ANSWER_MARGIN_SECONDS = 2;
  public static final int PROBE_PERIOD_SECONDS = 1;
  public static final int READINESS_TIMEOUT_SECONDS = 2;
  public static final int READINESS_FAILURE_THRESHOLD = 3;

  private HookTimingPolicy() {}

  /** Timings for a spec whose defaults have been applied. */
  public static HookTimings forSpec(FunctionInstanceSpec spec) {
    var lifecycle = spec.getInstanceLifecycleConfig();
    return compute(
        hookTimeout(lifecycle == null ? null : lifecycle.getInitializer()),
        hookTimeout(lifecycle == null ? null : lifecycle.getPreStop()),
        spec.getTimeout());
  }

  /**
   * @param initializerTimeout seconds, 0 when no Initializer is configured
   * @param preStopTimeout seconds, 0 when no PreStop is configured
   * @param invocationTimeout the function's timeout in seconds, which bounds the drain
   */
  public static HookTimings compute(int initializerTimeout, int preStopTimeout, int invocationTimeout) {
    int hold = STARTUP_ALLOWANCE_SECONDS + initializerTimeout;
    var startup = new HookTimings.ProbeTiming(PROBE_PERIOD_SECONDS, hold + ANSWER_MARGIN_SECONDS,
        STARTUP_ALLOWANCE_SECONDS + ENFORCEMENT_MARGIN_SECONDS + SPARE_FAILURES);
    var readiness = new HookTimings.ProbeTiming(PROBE_PERIOD_SECONDS, READINESS_TIMEOUT_SECONDS,
        READINESS_FAILURE_THRESHOLD);
    long grace = (long) invocationTimeout + preStopTimeout + STOP_ALLOWANCE_SECONDS;
    return new HookTimings(startup, hold, readiness, grace, invocationTimeout);
  }

  private static int hookTimeout(LifecycleHook hook) {
    if (hook == null) {
      return 0;
    }
    return hook.getTimeout() == null ? LifecycleHook.DEFAULT_TIMEOUT_SECONDS : hook.getTimeout();
  }
}
