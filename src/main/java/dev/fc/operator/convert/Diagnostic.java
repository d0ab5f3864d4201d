package dev.fc.operator.convert;

/** One warning or error about the s.yaml, printed as one line. */
public record Diagnostic(Severity severity, String file, Location location, String message) {
  public enum Severity { WARNING, ERROR }

  /**
   * {@code warning: s.yaml:12: message} or {@code error: s.yaml:18:19: message}: warnings name the line,
   * errors the line and column.
   */
  @Override
  public String toString() {
    return severity == Severity.WARNING
        ? "warning: " + file + ":" + location.line() + ": " + message
        : "error: " + file + ":" + location.line() + ":" + location.column() + ": " + message;
  }
}
