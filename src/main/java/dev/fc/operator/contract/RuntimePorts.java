package dev.fc.operator.contract;

/**
 * The runtime's two ports and their names in the pod (docs/runtime-contract.md, "Ports"). The runtime takes other
 * numbers from {@link RuntimeEnv#SERVER_PORT} and {@link RuntimeEnv#LIFECYCLE_PORT}; these are its defaults.
 */
public final class RuntimePorts {
  /** Invocations; the only port the Service exposes. */
  public static final int INVOKE = 9000;
  /** The kubelet's probes and preStop hook ({@link LifecycleEndpoints}); not behind the Service. */
  public static final int LIFECYCLE = 9001;
  /**
   * The adapter's invocation port in a custom runtime's pod, which the Service targets; the user's server listens on
   * its own port ({@link RuntimeEnv#CUSTOM_LISTEN_PORT}, default 9000), so the adapter cannot take 9000.
   */
  public static final int ADAPTER_INVOKE = 9002;
  public static final String INVOKE_NAME = "invoke";
  public static final String LIFECYCLE_NAME = "lifecycle";

  private RuntimePorts() {}
}
