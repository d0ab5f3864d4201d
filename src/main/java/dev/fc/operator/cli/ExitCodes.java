package dev.fc.operator.cli;

/** Exit statuses shared by the commands. */
public final class ExitCodes {
  public static final int OK = 0;
  /** The function failed (Initializer, probe, invocation): used by {@code local}. */
  public static final int FAILED = 1;
  public static final int BAD_INPUT = 2;

  private ExitCodes() {}
}
