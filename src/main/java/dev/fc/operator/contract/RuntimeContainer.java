package dev.fc.operator.contract;

import java.util.List;

/** The container the runtime runs in: its name in the pod, its command and its user (docs/runtime-contract.md). */
public final class RuntimeContainer {
  /** The function container's name, by which the operator and {@code local} find it in a pod. */
  public static final String NAME = "function";
  /** Python's isolated mode (-I): no PYTHON* variable, user site or /code changes the runtime. */
  public static final List<String> COMMAND = List.of("python3", "-I", RuntimePaths.RUNTIME_DIR + "/bootstrap.py");
  /**
   * The custom runtimes' adapter container (docs/runtime-contract.md, "Custom containers"): it carries the contract
   * (the lifecycle port, the secret, the termination message, the invocation port) for the user's server, which
   * runs in the container named {@link #NAME}.
   */
  public static final String ADAPTER_NAME = "fc-adapter";
  /** The adapter's command: the Python runtime's package with the adapter's entry point. */
  public static final List<String> ADAPTER_COMMAND =
      List.of("python3", "-I", RuntimePaths.RUNTIME_DIR + "/adapter.py");
  /** The Node.js runtime's command (nodejs18, nodejs20): the entry point of the runtime's Node.js files. */
  public static final List<String> NODE_COMMAND = List.of("node", RuntimePaths.RUNTIME_DIR + "/bootstrap.js");
  /** The non-root user (and group) the container runs as. */
  public static final long RUN_AS_USER = 10001;

  private RuntimeContainer() {}
}
