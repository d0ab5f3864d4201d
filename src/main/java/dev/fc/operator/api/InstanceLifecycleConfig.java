package dev.fc.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** FC's instanceLifecycleConfig: either hook may be absent. */
public class InstanceLifecycleConfig {
  @JsonPropertyDescription("Runs once per instance before any invocation, through the pod's startup probe.")
  private LifecycleHook initializer;

  @JsonPropertyDescription("Runs before the instance is destroyed, as the pod's preStop hook.")
  private LifecycleHook preStop;

  public InstanceLifecycleConfig() {}

  public InstanceLifecycleConfig(LifecycleHook initializer, LifecycleHook preStop) {
    this.initializer = initializer;
    this.preStop = preStop;
  }

  public LifecycleHook getInitializer() {
    return initializer;
  }

  public void setInitializer(LifecycleHook initializer) {
    this.initializer = initializer;
  }

  public LifecycleHook getPreStop() {
    return preStop;
  }

  public void setPreStop(LifecycleHook preStop) {
    this.preStop = preStop;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InstanceLifecycleConfig c
        && Objects.equals(initializer, c.initializer)
        && Objects.equals(preStop, c.preStop);
  }

  @Override
  public int hashCode() {
    return Objects.hash(initializer, preStop);
  }
}
