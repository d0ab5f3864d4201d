package dev.fc.operator.contract;

/** Where things are in the function container (docs/runtime-contract.md, "Files and command"). */
public final class RuntimePaths {
  /** The runtime's files (read-only). */
  public static final String RUNTIME_DIR = "/var/fc/runtime";
  /** The user's code (read-only), also the working directory. */
  public static final String CODE_DIR = "/code";
  /** {@code FC_FUNC_CODE_PATH}'s value: the code folder with FC's trailing slash. */
  public static final String FUNC_CODE_PATH = CODE_DIR + "/";
  /** The only writable folder (an emptyDir): the root filesystem is read-only. */
  public static final String SCRATCH_DIR = "/tmp";
  /** The container's terminationMessagePath, where the runtime writes its {@link TerminationMessage}. */
  public static final String TERMINATION_MESSAGE = "/dev/termination-log";

  private RuntimePaths() {}
}
