package dev.fc.operator.convert;

/**
 * Variables that cannot be filled in at all: a loop, or an expansion beyond {@link VariableResolver}'s
 * bounds. It stops the conversion; the message completes "path ...", the path being where the fault
 * is written.
 */
public final class VariableException extends RuntimeException {
  private final PropPath path;

  public VariableException(PropPath path, String message) {
    super(message, null, false, false);
    this.path = path;
  }

  public PropPath path() {
    return path;
  }
}
