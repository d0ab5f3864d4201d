package dev.fc.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/** An Initializer or PreStop hook: {@code file.method} plus a timeout, as in FC's instanceLifecycleConfig. */
public class LifecycleHook {
  public static final int DEFAULT_TIMEOUT_SECONDS = 3;
  public static final int MAX_TIMEOUT_SECONDS = 86400;

  @Required
  @Pattern(FunctionInstanceSpec.HANDLER_PATTERN)
  @JsonPropertyDescription("The hook as file.method, e.g. index.initialize loads initialize from /code/index.py.")
  private String handler;

  @Min(1)
  @Max(MAX_TIMEOUT_SECONDS)
  @Default("3")
  @JsonPropertyDescription("Seconds the hook may run; the runtime stops it after that. Default 3.")
  private Integer timeout;

  public LifecycleHook() {}

  public LifecycleHook(String handler, Integer timeout) {
    this.handler = handler;
    this.timeout = timeout;
  }

  public String getHandler() {
    return handler;
  }

  public void setHandler(String handler) {
    this.handler = handler;
  }

  public Integer getTimeout() {
    return timeout;
  }

  public void setTimeout(Integer timeout) {
    this.timeout = timeout;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LifecycleHook h && Objects.equals(handler, h.handler) && Objects.equals(timeout, h.timeout);
  }

  @Override
  public int hashCode() {
    return Objects.hash(handler, timeout);
  }
}
