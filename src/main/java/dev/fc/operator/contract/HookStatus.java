package dev.fc.operator.contract;

/**
 * A hook's {@code status} in the termination message and in the {@code /pre-stop} answer
 * (docs/runtime-contract.md, "Termination message").
 */
public final class HookStatus {
  public static final String SUCCEEDED = "succeeded";
  public static final String FAILED = "failed";
  public static final String TIMEOUT = "timeout";
  /** The hook never ran. */
  public static final String SKIPPED = "skipped";
  /** The process ended while the hook still ran. */
  public static final String INTERRUPTED = "interrupted";
  /** The {@code /pre-stop} answer when no PreStop is configured. */
  public static final String NOT_CONFIGURED = "notConfigured";

  private HookStatus() {}
}
