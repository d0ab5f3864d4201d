package dev.fc.operator.validation;

import dev.fc.operator.api.CustomContainerConfig;
import dev.fc.operator.api.CustomRuntimeConfig;
import dev.fc.operator.api.FcRuntime;
import dev.fc.operator.api.FunctionInstanceSpec;
import dev.fc.operator.contract.RuntimePorts;
import java.util.List;
import java.util.Set;

/**
 * The custom runtimes' fields: each runtime takes its own config and no other's, an image or a command to run, and a
 * port the adapter does not use (docs/runtime-contract.md, "Custom containers").
 */
final class CustomRuntimes {
  /** The adapter's ports, which share the pod's network with the user's server. */
  static final Set<Integer> ADAPTER_PORTS = Set.of(RuntimePorts.LIFECYCLE, RuntimePorts.ADAPTER_INVOKE);

  private CustomRuntimes() {}

  static void check(List<FieldError> errors, FunctionInstanceSpec spec, FcRuntime runtime) {
    CustomContainerConfig container = spec.getCustomContainerConfig();
    CustomRuntimeConfig custom = spec.getCustomRuntimeConfig();
    if (runtime != FcRuntime.CUSTOM_CONTAINER && container != null) {
      errors.add(new FieldError("spec.customContainerConfig", "is for runtime custom-container, not " + runtime
          + ": remove it or set spec.runtime: custom-container"));
    }
    if (runtime != FcRuntime.CUSTOM_DEBIAN12 && custom != null) {
      errors.add(new FieldError("spec.customRuntimeConfig", "is for runtime custom.debian12, not " + runtime
          + ": remove it or set spec.runtime: custom.debian12"));
    }
    if (runtime == FcRuntime.CUSTOM_CONTAINER) {
      customContainer(errors, spec, container);
    } else if (runtime == FcRuntime.CUSTOM_DEBIAN12) {
      customRuntime(errors, custom);
    }
  }

  private static void customContainer(List<FieldError> errors, FunctionInstanceSpec spec,
      CustomContainerConfig container) {
    String field = "spec.customContainerConfig";
    if (container == null) {
      errors.add(new FieldError(field, "is required for runtime custom-container: set at least its image"));
      return;
    }
    if (container.getImage() == null || container.getImage().isBlank()) {
      errors.add(new FieldError(field + ".image", "is required: the image whose HTTP server runs the function"));
    } else if (container.getImage().chars().anyMatch(Character::isWhitespace)) {
      errors.add(new FieldError(field + ".image", "must be an image reference without spaces, got "
          + SpecValidator.shown(container.getImage())));
    }
    words(errors, field + ".command", container.getCommand());
    words(errors, field + ".args", container.getArgs());
    port(errors, field + ".port", container.getPort());
    if (container.getRunAsUser() != null && container.getRunAsUser() < 1) {
      errors.add(new FieldError(field + ".runAsUser", "must be a user id from 1 (pods run as non-root), got "
          + container.getRunAsUser()));
    }
    if (spec.getCode() != null) {
      errors.add(new FieldError("spec.code", "is not used by runtime custom-container, whose code is its image "
          + "(spec.customContainerConfig.image): remove spec.code"));
    }
  }

  private static void customRuntime(List<FieldError> errors, CustomRuntimeConfig custom) {
    String field = "spec.customRuntimeConfig";
    if (custom == null || custom.getCommand() == null || custom.getCommand().isEmpty()) {
      errors.add(new FieldError(field + ".command", "is required for runtime custom.debian12: the command that "
          + "starts the function's HTTP server, e.g. [python3, app.py]"));
    } else {
      words(errors, field + ".command", custom.getCommand());
    }
    if (custom != null) {
      words(errors, field + ".args", custom.getArgs());
      port(errors, field + ".port", custom.getPort());
    }
  }

  private static void words(List<FieldError> errors, String field, List<String> words) {
    if (words == null) {
      return;
    }
    for (int i = 0; i < words.size(); i++) {
      if (words.get(i) == null) {
        errors.add(new FieldError(field + "[" + i + "]", "has no value: write \"\" for an empty argument"));
      }
    }
  }

  private static void port(List<FieldError> errors, String field, Integer port) {
    if (port == null) {
      return;
    }
    if (port < 1 || port > 65535) {
      errors.add(new FieldError(field, "must be from 1 to 65535, got " + port));
    } else if (ADAPTER_PORTS.contains(port)) {
      errors.add(new FieldError(field, "must not be " + port + ": the adapter next to your server listens on "
          + RuntimePorts.LIFECYCLE + " and " + RuntimePorts.ADAPTER_INVOKE + "; listen on another port (FC's default "
          + "is 9000)"));
    }
  }
}
