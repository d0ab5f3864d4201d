package dev.fc.operator.desired;

import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.api.FunctionInstanceSpec;
import dev.fc.operator.api.LifecycleHook;
import dev.fc.operator.contract.LifecycleEndpoints;
import dev.fc.operator.contract.RuntimeEnv;
import dev.fc.operator.contract.RuntimePaths;
import dev.fc.operator.contract.RuntimePorts;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** The function container's environment: the contract's variables ({@link RuntimeEnv}), then the user's. */
public final class FunctionEnvironment {
  private FunctionEnvironment() {}

  /**
   * The Python or Node.js runtime's container: the contract's variables, then the language's defaults, then the
   * user's.
   */
  public static List<EnvVar> of(FunctionInstance fi, FunctionInstanceSpec spec, InstanceSettings config,
      HookTimings timings) {
    List<EnvVar> env = new ArrayList<>();
    functionFacts(env, fi, spec);
    timings(env, timings);
    add(env, RuntimeEnv.FUNC_CODE_PATH, RuntimePaths.FUNC_CODE_PATH);
    placeFacts(env, config);
    lifecycleSettings(env, RuntimePorts.INVOKE);

    // The language's own variables are defaults: the user's value wins, and the pod holds each name once.
    if (spec.runtime().node()) {
      addUnlessUserSets(env, spec, RuntimeEnv.NODE_PATH, RuntimeEnv.DEFAULT_NODE_PATH);
    } else {
      addUnlessUserSets(env, spec, RuntimeEnv.PYTHONUNBUFFERED, "1");
      addUnlessUserSets(env, spec, RuntimeEnv.PYTHONDONTWRITEBYTECODE, "1");
      addUnlessUserSets(env, spec, RuntimeEnv.PYTHONPATH, RuntimeEnv.DEFAULT_PYTHONPATH);
    }
    userVariables(env, spec);
    return env;
  }

  /**
   * A custom runtime's adapter container: the contract's variables, its invocation port
   * {@link RuntimePorts#ADAPTER_INVOKE} and the user's server's port. None of the user's variables: the adapter runs
   * none of the user's code.
   */
  public static List<EnvVar> adapter(FunctionInstance fi, FunctionInstanceSpec spec, InstanceSettings config,
      HookTimings timings, CustomServer server) {
    List<EnvVar> env = new ArrayList<>();
    functionFacts(env, fi, spec);
    timings(env, timings);
    placeFacts(env, config);
    lifecycleSettings(env, RuntimePorts.ADAPTER_INVOKE);
    add(env, RuntimeEnv.CUSTOM_LISTEN_PORT, String.valueOf(server.port()));
    return env;
  }

  /**
   * A custom runtime's user container: what FC tells a custom container (the function's facts and
   * {@value RuntimeEnv#CUSTOM_LISTEN_PORT}), then the user's variables; never the lifecycle secret or the runtime's
   * own settings.
   */
  public static List<EnvVar> customServer(FunctionInstance fi, FunctionInstanceSpec spec, InstanceSettings config,
      CustomServer server) {
    List<EnvVar> env = new ArrayList<>();
    functionFacts(env, fi, spec);
    if (server.mountsCode()) {
      add(env, RuntimeEnv.FUNC_CODE_PATH, RuntimePaths.FUNC_CODE_PATH);
    }
    placeFacts(env, config);
    add(env, RuntimeEnv.CUSTOM_LISTEN_PORT, String.valueOf(server.port()));
    userVariables(env, spec);
    return env;
  }

  /** What FC tells every function about itself. */
  private static void functionFacts(List<EnvVar> env, FunctionInstance fi, FunctionInstanceSpec spec) {
    add(env, RuntimeEnv.FUNCTION_NAME, fi.getMetadata().getName());
    add(env, RuntimeEnv.SERVICE_NAME, fi.getMetadata().getNamespace());
    add(env, RuntimeEnv.QUALIFIER, RuntimeEnv.LATEST_QUALIFIER);
    add(env, RuntimeEnv.FUNCTION_HANDLER, spec.getHandler());
    add(env, RuntimeEnv.HANDLER_TYPE, spec.handlerType().value());
    add(env, RuntimeEnv.RUNTIME, spec.runtime().fcName());
    add(env, RuntimeEnv.FUNCTION_MEMORY_SIZE, String.valueOf(spec.getMemorySize()));
    add(env, RuntimeEnv.TIMEOUT, String.valueOf(spec.getTimeout()));
    add(env, RuntimeEnv.INSTANCE_CONCURRENCY, String.valueOf(spec.getInstanceConcurrency()));
    var lifecycle = spec.getInstanceLifecycleConfig();
    LifecycleHook initializer = lifecycle == null ? null : lifecycle.getInitializer();
    if (initializer != null) {
      add(env, RuntimeEnv.INITIALIZER_HANDLER, initializer.getHandler());
      add(env, RuntimeEnv.INITIALIZATION_TIMEOUT, String.valueOf(initializer.getTimeout()));
    }
    LifecycleHook preStop = lifecycle == null ? null : lifecycle.getPreStop();
    if (preStop != null) {
      add(env, RuntimeEnv.PRESTOP_HANDLER, preStop.getHandler());
      add(env, RuntimeEnv.PRESTOP_TIMEOUT, String.valueOf(preStop.getTimeout()));
    }
  }

  /** Where the function runs: FC's region, account and instance. */
  private static void placeFacts(List<EnvVar> env, InstanceSettings config) {
    add(env, RuntimeEnv.REGION, config.region());
    add(env, RuntimeEnv.ACCOUNT_ID, config.accountId());
    env.add(new EnvVarBuilder().withName(RuntimeEnv.INSTANCE_ID)
        .withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name").endFieldRef().endValueFrom()
        .build());
  }

  /** The hook timings the container that serves the lifecycle port enforces (HookTimingPolicy). */
  private static void timings(List<EnvVar> env, HookTimings timings) {
    add(env, RuntimeEnv.STARTUP_PROBE_HOLD, String.valueOf(timings.startupHoldSeconds()));
    add(env, RuntimeEnv.DRAIN_TIMEOUT, String.valueOf(timings.drainSeconds()));
  }

  /** The ports, termination message and secret of the container that serves the lifecycle port. */
  private static void lifecycleSettings(List<EnvVar> env, int invokePort) {
    add(env, RuntimeEnv.SERVER_PORT, String.valueOf(invokePort));
    add(env, RuntimeEnv.LIFECYCLE_PORT, String.valueOf(RuntimePorts.LIFECYCLE));
    add(env, RuntimeEnv.TERMINATION_MESSAGE_PATH, RuntimePaths.TERMINATION_MESSAGE);
    add(env, RuntimeEnv.LIFECYCLE_TOKEN, LifecycleEndpoints.TOKEN_PLACEHOLDER); // each pod's own when it is created
  }

  private static void userVariables(List<EnvVar> env, FunctionInstanceSpec spec) {
    new TreeMap<>(spec.getEnvironmentVariables()).forEach((name, value) -> add(env, name, value));
    env.addAll(spec.getEnv());
  }

  private static void addUnlessUserSets(List<EnvVar> env, FunctionInstanceSpec spec, String name, String value) {
    boolean userSets = spec.getEnvironmentVariables().containsKey(name)
        || spec.getEnv().stream().anyMatch(e -> name.equals(e.getName()));
    if (!userSets) {
      add(env, name, value);
    }
  }

  private static void add(List<EnvVar> env, String name, String value) {
    env.add(new EnvVarBuilder().withName(name).withValue(value).build());
  }
}
