package dev.fc.operator.contract;

/**
 * Why the runtime ended, as its termination message's {@code exitReason} says, and the exit status that goes with
 * it (docs/runtime-contract.md, "Termination message" and "Exit status").
 */
public enum ExitReason {
  /** Stopped by SIGTERM (after PreStop). */
  STOPPED("Stopped", 0),
  /** The Initializer failed, or the code could not be loaded. */
  INITIALIZER_FAILED("InitializerFailed", 1),
  INITIALIZER_TIMEOUT("InitializerTimeout", 2),
  /** Retired after an invocation ran past its timeout. */
  INVOCATION_TIMEOUT("InvocationTimeout", 3),
  /** The runtime could not start: a variable it cannot use, a port taken, not started with {@code python3 -I}. */
  RUNTIME_FAILED("RuntimeFailed", 4);

  private final String text;
  private final int exitStatus;

  ExitReason(String text, int exitStatus) {
    this.text = text;
    this.exitStatus = exitStatus;
  }

  /** As the termination message spells it. */
  public String text() {
    return text;
  }

  public int exitStatus() {
    return exitStatus;
  }

  /** Whether {@code exitReason}, as read from a termination message (may be null or unknown), is this one. */
  public boolean is(String exitReason) {
    return text.equals(exitReason);
  }
}
