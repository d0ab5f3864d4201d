package dev.fc.operator.gateway;

/** How an invocation sent on to its function's owner ended: the {@code result} label of its metric. */
public enum ForwardResult {
  /** The owner answered; its answer was passed back. */
  ANSWERED,
  /** The owner could not be reached, nothing was sent: this replica served it itself. */
  UNREACHABLE,
  /** The connection broke after the invocation was sent: answered 502 GatewayError, not retried. */
  BROKEN;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
