package dev.fc.operator.desired;

import dev.fc.operator.api.FunctionInstanceSpec;
import dev.fc.operator.api.LifecycleHook;

/**
 * The one formula that turns hook timeouts into kubelet settings. docs/hooks.md explains it with a
 * worked table; {@code HookTimingPolicyTest} checks that table.
 *
 * <ul>
 *   <li>Startup probe: period p = clamp(ceil(T_init / 60), 1, 10) s, timeout 2 s, and
 *       failureThreshold = ceil((STARTUP_ALLOWANCE + T_init + ENFORCEMENT_MARGIN) / p), so the kubelet
 *       gives up only after the runtime has had time to start, run the Initializer for its whole timeout,
 *       enforce that timeout itself and exit.
 *   <li>Readiness probe: the same period, timeout 2 s, failureThreshold 3.
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
  /** Room after drain and PreStop for the runtime to answer the hook and exit on SIGTERM. */
  public static final int STOP_ALLOWANCE_SECONDS = 5;
  /** Startup probe period per minute of Initializer timeout, capped: short hooks are detected fast. */
  public static final int MAX_PERIOD_SECONDS = 10;
  public static final int PROBE_TIMEOUT_SECONDS = 2;
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
    int period = Math.min(MAX_PERIOD_SECONDS, Math.max(1, ceilDiv(initializerTimeout, 60)));
    int startupWindow = STARTUP_ALLOWANCE_SECONDS + initializerTimeout + ENFORCEMENT_MARGIN_SECONDS;
    var startup = new HookTimings.ProbeTiming(period, PROBE_TIMEOUT_SECONDS, ceilDiv(startupWindow, period));
    var readiness = new HookTimings.ProbeTiming(period, PROBE_TIMEOUT_SECONDS, READINESS_FAILURE_THRESHOLD);
    long grace = (long) invocationTimeout + preStopTimeout + STOP_ALLOWANCE_SECONDS;
    return new HookTimings(startup, readiness, grace, invocationTimeout);
  }

  private static int hookTimeout(LifecycleHook hook) {
    if (hook == null) {
      return 0;
    }
    return hook.getTimeout() == null ? LifecycleHook.DEFAULT_TIMEOUT_SECONDS : hook.getTimeout();
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }
}
