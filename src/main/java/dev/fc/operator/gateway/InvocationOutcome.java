package dev.fc.operator.gateway;

/** How an invocation through the gateway ended: the {@code outcome} label of its metric. */
public enum InvocationOutcome {
  SUCCESS, FUNCTION_ERROR, INITIALIZATION_ERROR, THROTTLED, START_TIMEOUT, NOT_FOUND, UPSTREAM_ERROR;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
