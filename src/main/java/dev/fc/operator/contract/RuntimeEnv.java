package dev.fc.operator.contract;

import java.util.List;

/**
 * The names of the variables the runtime reads (docs/runtime-contract.md, "Environment"). Every {@code FC_*} name
 * of the contract is a constant here, and only here on the Java side; a user's variable may not start with
 * {@link #RESERVED_PREFIX}.
 */
public final class RuntimeEnv {
  public static final String RESERVED_PREFIX = "FC_";

  public static final String FUNCTION_NAME = "FC_FUNCTION_NAME";
  public static final String SERVICE_NAME = "FC_SERVICE_NAME";
  public static final String QUALIFIER = "FC_QUALIFIER";
  public static final String FUNCTION_HANDLER = "FC_FUNCTION_HANDLER";
  public static final String HANDLER_TYPE = "FC_HANDLER_TYPE";
  public static final String RUNTIME = "FC_RUNTIME";
  public static final String FUNCTION_MEMORY_SIZE = "FC_FUNCTION_MEMORY_SIZE";
  public static final String TIMEOUT = "FC_TIMEOUT";
  public static final String INSTANCE_CONCURRENCY = "FC_INSTANCE_CONCURRENCY";
  public static final String INITIALIZER_HANDLER = "FC_INITIALIZER_HANDLER";
  public static final String INITIALIZATION_TIMEOUT = "FC_INITIALIZATION_TIMEOUT";
  public static final String PRESTOP_HANDLER = "FC_PRESTOP_HANDLER";
  public static final String PRESTOP_TIMEOUT = "FC_PRESTOP_TIMEOUT";
  public static final String STARTUP_PROBE_HOLD = "FC_STARTUP_PROBE_HOLD";
  public static final String DRAIN_TIMEOUT = "FC_DRAIN_TIMEOUT";
  public static final String FUNC_CODE_PATH = "FC_FUNC_CODE_PATH";
  public static final String REGION = "FC_REGION";
  public static final String ACCOUNT_ID = "FC_ACCOUNT_ID";
  public static final String INSTANCE_ID = "FC_INSTANCE_ID";
  public static final String SERVER_PORT = "FC_SERVER_PORT";
  public static final String LIFECYCLE_PORT = "FC_LIFECYCLE_PORT";
  public static final String TERMINATION_MESSAGE_PATH = "FC_TERMINATION_MESSAGE_PATH";
  /**
   * FC's name for the port a custom runtime's or container's HTTP server listens on: set in both containers of such
   * a pod; the adapter calls the server there.
   */
  public static final String CUSTOM_LISTEN_PORT = "FC_CUSTOM_LISTEN_PORT";
  /** The lifecycle port's secret ({@link LifecycleEndpoints}). */
  public static final String LIFECYCLE_TOKEN = "FC_LIFECYCLE_TOKEN";
  /** Bounds on the clients of both ports; the pod builder leaves them unset (the runtime's defaults apply). */
  public static final String HTTP_IDLE_TIMEOUT = "FC_HTTP_IDLE_TIMEOUT";
  public static final String HTTP_READ_TIMEOUT = "FC_HTTP_READ_TIMEOUT";

  /** The variables whose values are container port numbers ({@code local} maps them to this machine's). */
  public static final List<String> PORTS = List.of(SERVER_PORT, LIFECYCLE_PORT);

  /** {@link #QUALIFIER}'s value: the pod runs the function's latest code. */
  public static final String LATEST_QUALIFIER = "LATEST";

  /** The user's module path, which the runtime puts on {@code sys.path} for the user's code. */
  public static final String PYTHONPATH = "PYTHONPATH";
  /** {@link #PYTHONPATH} unless the user sets it: FC's order. */
  public static final String DEFAULT_PYTHONPATH =
      RuntimePaths.CODE_DIR + ":" + RuntimePaths.CODE_DIR + "/python:/opt/python";
  /** Where the Node.js runtime's user code finds packages (the runtime puts these folders on its search path). */
  public static final String NODE_PATH = "NODE_PATH";
  /** {@link #NODE_PATH} unless the user sets it: FC's folders. */
  public static final String DEFAULT_NODE_PATH = "/code/node_modules:/opt/nodejs/node_modules";
  public static final String PYTHONUNBUFFERED = "PYTHONUNBUFFERED";
  public static final String PYTHONDONTWRITEBYTECODE = "PYTHONDONTWRITEBYTECODE";

  private RuntimeEnv() {}
}
