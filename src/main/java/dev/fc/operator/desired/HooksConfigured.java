package dev.fc.operator.desired;

import dev.fc.operator.api.InstanceLifecycleConfig;

/** Which lifecycle hooks a FunctionInstance's spec configures. */
public record HooksConfigured(boolean initializer, boolean preStop) {
  public static final HooksConfigured NONE = new HooksConfigured(false, false);

  /** @param lifecycle the spec's lifecycle config, or null when it has none */
  public static HooksConfigured of(InstanceLifecycleConfig lifecycle) {
    return lifecycle == null ? NONE
        : new HooksConfigured(lifecycle.getInitializer() != null, lifecycle.getPreStop() != null);
  }
}
