package dev.fc.operator.desired;

import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.api.FunctionInstanceSpec;
import dev.fc.operator.api.LifecycleHook;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** The function container's environment: FC's names (docs/runtime-contract.md), then the user's. */
public final class FunctionEnvironment {
  public static final String DEFAULT_PYTHONPATH = "/code:/code/python:/opt/python";
  public static final String RESERVED_PREFIX = "FC_";

  private FunctionEnvironment() {}

  public static List<EnvVar> of(FunctionInstance fi, FunctionInstanceSpec spec, OperatorConfig config,
      HookTimings timings) {
    List<EnvVar> env = new ArrayList<>();
    add(env, "FC_FUNCTION_NAME", fi.getMetadata().getName());
    add(env, "FC_SERVICE_NAME", fi.getMetadata().getNamespace());
    add(env, "FC_QUALIFIER", "LATEST");
    add(env, "FC_FUNCTION_HANDLER", spec.getHandler());
    add(env, "FC_HANDLER_TYPE", spec.handlerType().value());
    add(env, "FC_RUNTIME", spec.runtime().fcName());
    add(env, "FC_FUNCTION_MEMORY_SIZE", String.valueOf(spec.getMemorySize()));
    add(env, "FC_TIMEOUT", String.valueOf(spec.getTimeout()));
    add(env, "FC_INSTANCE_CONCURRENCY", String.valueOf(spec.getInstanceConcurrency()));
    var lifecycle = spec.getInstanceLifecycleConfig();
    LifecycleHook initializer = lifecycle == null ? null : lifecycle.getInitializer();
    if (initializer != null) {
      add(env, "FC_INITIALIZER_HANDLER", initializer.getHandler());
      add(env, "FC_INITIALIZATION_TIMEOUT", String.valueOf(initializer.getTimeout()));
    }
    LifecycleHook preStop = lifecycle == null ? null : lifecycle.getPreStop();
    if (preStop != null) {
      add(env, "FC_PRESTOP_HANDLER", preStop.getHandler());
      add(env, "FC_PRESTOP_TIMEOUT", String.valueOf(preStop.getTimeout()));
    }
    add(env, "FC_STARTUP_PROBE_HOLD", String.valueOf(timings.startupHoldSeconds()));
    add(env, "FC_DRAIN_TIMEOUT", String.valueOf(timings.drainSeconds()));
    add(env, "FC_FUNC_CODE_PATH", FunctionPodFactory.CODE_DIR + "/");
    add(env, "FC_REGION", config.region());
    add(env, "FC_ACCOUNT_ID", config.accountId());
    env.add(new EnvVarBuilder().withName("FC_INSTANCE_ID")
        .withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name").endFieldRef().endValueFrom()
        .build());
    add(env, "FC_SERVER_PORT", String.valueOf(FunctionPodFactory.INVOKE_PORT));
    add(env, "FC_LIFECYCLE_PORT", String.valueOf(FunctionPodFactory.LIFECYCLE_PORT));
    add(env, "FC_TERMINATION_MESSAGE_PATH", FunctionPodFactory.TERMINATION_MESSAGE_PATH);
    add(env, LifecycleToken.ENV, LifecycleToken.TEMPLATE_VALUE); // each pod's own when it is created

    var userVariables = new TreeMap<>(spec.getEnvironmentVariables());
    // Python's own variables are defaults: the user's value wins, and the pod holds each name once.
    addUnlessUserSets(env, spec, "PYTHONUNBUFFERED", "1");
    addUnlessUserSets(env, spec, "PYTHONDONTWRITEBYTECODE", "1");
    addUnlessUserSets(env, spec, "PYTHONPATH", DEFAULT_PYTHONPATH);
    userVariables.forEach((name, value) -> add(env, name, value));
    env.addAll(spec.getEnv());
    return env;
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
