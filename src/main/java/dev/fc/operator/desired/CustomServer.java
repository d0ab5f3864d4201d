package dev.fc.operator.desired;

import dev.fc.operator.api.CustomContainerConfig;
import dev.fc.operator.api.CustomRuntimeConfig;
import dev.fc.operator.api.FcRuntime;
import dev.fc.operator.api.FunctionInstanceSpec;
import dev.fc.operator.api.SpecDefaults;
import dev.fc.operator.contract.RuntimeContainer;
import java.util.List;

/**
 * The user's HTTP server of a custom runtime, as its container runs it: {@code custom-container} its own image with
 * an optional command and args, {@code custom.debian12} the configured Debian 12 image with the user's command and
 * the code at {@code /code}. Pure.
 *
 * @param command empty to keep the image's entrypoint
 * @param args empty to keep the image's arguments (when {@code command} is empty too)
 * @param mountsCode whether the code volume is mounted at {@code /code} (custom.debian12)
 */
public record CustomServer(String image, List<String> command, List<String> args, int port, long runAsUser,
    boolean mountsCode) {

  /** The server of a validated, defaulted spec whose runtime is custom. */
  public static CustomServer of(FunctionInstanceSpec spec, InstanceSettings settings) {
    FcRuntime runtime = spec.runtime();
    if (runtime == FcRuntime.CUSTOM_CONTAINER) {
      CustomContainerConfig c = spec.getCustomContainerConfig();
      return new CustomServer(c.getImage(), list(c.getCommand()), list(c.getArgs()), port(c.getPort()),
          c.getRunAsUser() == null ? RuntimeContainer.RUN_AS_USER : c.getRunAsUser(), false);
    }
    if (runtime == FcRuntime.CUSTOM_DEBIAN12) {
      CustomRuntimeConfig c = spec.getCustomRuntimeConfig();
      return new CustomServer(settings.imageFor(runtime), list(c.getCommand()), list(c.getArgs()), port(c.getPort()),
          RuntimeContainer.RUN_AS_USER, true);
    }
    throw new IllegalArgumentException(runtime + " is not a custom runtime");
  }

  private static int port(Integer port) {
    return port == null ? SpecDefaults.CUSTOM_PORT : port;
  }

  private static List<String> list(List<String> values) {
    return values == null ? List.of() : values;
  }
}
