package dev.fc.operator.convert;

import dev.fc.operator.api.FcRuntime;
import java.util.Arrays;
import java.util.Optional;

/** FC runtime names to FunctionInstance runtimes. */
public final class Runtimes {
  /** FC's {@code python3} is Python 3.6, which no FunctionInstance image runs; the oldest one that does. */
  public static final FcRuntime PYTHON3_REPLACEMENT = FcRuntime.PYTHON_3_9;

  private Runtimes() {}

  /** The runtime of the same name, empty for FC's {@code python3} and for runtimes with no equivalent. */
  public static Optional<FcRuntime> exact(String fcName) {
    return Arrays.stream(FcRuntime.values()).filter(r -> r.fcName().equals(fcName)).findFirst();
  }

  /** FC's custom runtimes on older Debian releases: custom (Debian 9), custom.debian10, custom.debian11. */
  public static boolean isOlderCustomRuntime(String fcName) {
    return "custom".equals(fcName) || "custom.debian10".equals(fcName) || "custom.debian11".equals(fcName);
  }

  /** FC's Node.js runtimes before 18 run as the oldest Node.js FunctionInstance runs. */
  public static final FcRuntime OLDER_NODE_REPLACEMENT = FcRuntime.NODEJS_18;

  /** FC's Node.js runtimes before 18: nodejs6 to nodejs16. */
  public static boolean isOlderNode(String fcName) {
    return fcName.matches("nodejs\\d{1,2}") && Integer.parseInt(fcName.substring("nodejs".length())) < 18;
  }

  public static boolean isOldPython3(String fcName) {
    return "python3".equals(fcName);
  }
}
