package dev.fc.operator.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * FC's defaults, the same the CRD schema applies on the server, applied here for {@code render} and
 * for objects that reach the operator without them (e.g. from the mock API server).
 */
public final class SpecDefaults {
  public static final int MEMORY_SIZE_MIB = 512;
  public static final double CPU = 0.35;
  public static final int TIMEOUT_SECONDS = 3;
  public static final int INSTANCE_CONCURRENCY = 1;
  public static final int INSTANCES = 1;
  /** The port a custom runtime's or container's HTTP server listens on, FC's default (CAPort). */
  public static final int CUSTOM_PORT = 9000;
  /** Elastic instances' defaults (docs/elastic.md); they apply only when the count is elastic. */
  public static final int ELASTIC_MIN_INSTANCES = 0;
  public static final int ELASTIC_MAX_INSTANCES = 100;
  public static final int ELASTIC_IDLE_TIMEOUT_SECONDS = 300;

  private SpecDefaults() {}

  /** A copy of {@code spec} with every absent field defaulted; the input is not changed. */
  public static FunctionInstanceSpec apply(FunctionInstanceSpec spec) {
    FunctionInstanceSpec out = new FunctionInstanceSpec();
    out.setRuntime(or(spec.getRuntime(), FcRuntime.DEFAULT.fcName()));
    out.setHandler(spec.getHandler());
    out.setHandlerType(or(spec.getHandlerType(), HandlerType.EVENT.value()));
    out.setCode(spec.getCode());
    CustomContainerConfig container = spec.getCustomContainerConfig();
    out.setCustomContainerConfig(container == null ? null : new CustomContainerConfig(container.getImage(),
        listOrEmpty(container.getCommand()), listOrEmpty(container.getArgs()), or(container.getPort(), CUSTOM_PORT),
        container.getRunAsUser()));
    CustomRuntimeConfig runtime = spec.getCustomRuntimeConfig();
    out.setCustomRuntimeConfig(runtime == null ? null : new CustomRuntimeConfig(listOrEmpty(runtime.getCommand()),
        listOrEmpty(runtime.getArgs()), or(runtime.getPort(), CUSTOM_PORT)));
    out.setMemorySize(or(spec.getMemorySize(), MEMORY_SIZE_MIB));
    out.setCpu(or(spec.getCpu(), CPU));
    out.setTimeout(or(spec.getTimeout(), TIMEOUT_SECONDS));
    out.setInstanceConcurrency(or(spec.getInstanceConcurrency(), INSTANCE_CONCURRENCY));
    out.setEnvironmentVariables(
        spec.getEnvironmentVariables() == null ? Map.of() : new LinkedHashMap<>(spec.getEnvironmentVariables()));
    out.setEnv(spec.getEnv() == null ? List.of() : List.copyOf(spec.getEnv()));
    InstanceLifecycleConfig lifecycle = spec.getInstanceLifecycleConfig();
    out.setInstanceLifecycleConfig(lifecycle == null
        ? new InstanceLifecycleConfig()
        : new InstanceLifecycleConfig(hook(lifecycle.getInitializer()), hook(lifecycle.getPreStop())));
    out.setInstances(instances(spec));
    // Not defaulted: their presence is what makes the count elastic (ElasticBounds has their defaults).
    out.setMinInstances(spec.getMinInstances());
    out.setMaxInstances(spec.getMaxInstances());
    out.setIdleTimeout(spec.getIdleTimeout());
    return out;
  }

  /**
   * How many instances {@code spec} asks for: its {@code instances}, or {@link #INSTANCES} when absent (also
   * when the spec itself is, as on an invalid FunctionInstance). Not range-checked: that is the validator's job.
   */
  public static int instances(FunctionInstanceSpec spec) {
    return spec == null || spec.getInstances() == null ? INSTANCES : spec.getInstances();
  }

  /**
   * How many instances {@code spec} runs when no invocation needs one: its {@code instances}, or for an elastic
   * function its {@code minInstances} (what {@code render} prints; the operator's scaling decision takes over).
   */
  public static int instancesWithoutDemand(FunctionInstanceSpec spec) {
    if (spec != null && spec.elastic()) {
      return spec.getMinInstances() == null ? ELASTIC_MIN_INSTANCES : spec.getMinInstances();
    }
    return instances(spec);
  }

  private static LifecycleHook hook(LifecycleHook hook) {
    return hook == null
        ? null
        : new LifecycleHook(hook.getHandler(), or(hook.getTimeout(), LifecycleHook.DEFAULT_TIMEOUT_SECONDS));
  }

  private static List<String> listOrEmpty(List<String> values) {
    // not List.copyOf: a null entry is the validator's to report, not a NullPointerException here
    return values == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(values));
  }

  private static <T> T or(T value, T fallback) {
    return value != null ? value : fallback;
  }
}
