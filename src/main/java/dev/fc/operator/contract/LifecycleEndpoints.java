package dev.fc.operator.contract;

/**
 * The lifecycle port's endpoints (all {@code GET}) and the secret every request to them carries
 * (docs/runtime-contract.md, "Lifecycle endpoints" and "Threat model"): in the header {@link #TOKEN_HEADER} or in
 * the query parameter {@link #TOKEN_QUERY_PARAMETER}. The runtime reads the secret from
 * {@link RuntimeEnv#LIFECYCLE_TOKEN}.
 */
public final class LifecycleEndpoints {
  /** The startup probe: reports the Initializer, long-polled. */
  public static final String STARTUP = "/startup";
  /** The readiness probe. */
  public static final String READY = "/ready";
  /** The preStop hook: drain, then PreStop. */
  public static final String PRE_STOP = "/pre-stop";
  public static final String TOKEN_HEADER = "X-Fc-Lifecycle-Token";
  public static final String TOKEN_QUERY_PARAMETER = "token";
  /** What the pod template holds in place of a pod's secret; the runtime refuses to start with it. */
  public static final String TOKEN_PLACEHOLDER = "set-per-pod-at-creation";

  private LifecycleEndpoints() {}
}
