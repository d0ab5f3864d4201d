package dev.fc.operator.cli;

import dev.fc.operator.api.FcRuntime;
import dev.fc.operator.desired.InstanceSettings;
import java.util.EnumMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options (and environment variables) that set the operator's configuration, shared by the commands. */
public class InstanceSettingsOptions {
  @Option(names = "--runtime-image", paramLabel = "RUNTIME=IMAGE",
      description = "Image for a runtime, e.g. python3.10=registry.example.com/python:3.10-slim. Repeatable. "
          + "Default python:<version>-slim, and python:3.12-slim-bookworm (Debian 12) for custom.debian12; the custom runtimes' adapter "
          + "runs in python3.10's. Environment: FC_RUNTIME_IMAGE_PYTHON3_10 and so on.")
  Map<String, String> runtimeImages = new java.util.LinkedHashMap<>();

  @Option(names = "--region", defaultValue = "${env:FC_REGION:-local}",
      description = "FC_REGION reported to functions (default: ${DEFAULT-VALUE}). Environment: FC_REGION.")
  String region;

  @Option(names = "--account-id", defaultValue = "${env:FC_ACCOUNT_ID:-}",
      description = "FC_ACCOUNT_ID reported to functions. Environment: FC_ACCOUNT_ID.")
  String accountId;

  public InstanceSettings toSettings() {
    Map<FcRuntime, String> images = new EnumMap<>(FcRuntime.class);
    for (FcRuntime runtime : FcRuntime.values()) {
      if (!runtime.hasRuntimeImage()) {
        continue;
      }
      String fromEnv = System.getenv(environmentName(runtime));
      if (fromEnv != null && !fromEnv.isBlank()) {
        images.put(runtime, fromEnv);
      }
    }
    runtimeImages.forEach((name, image) -> {
      FcRuntime runtime = FcRuntime.fromFcName(name);
      if (!runtime.hasRuntimeImage()) {
        throw new IllegalArgumentException("--runtime-image " + name + "=...: " + name
            + " brings its own image (customContainerConfig.image); name a runtime with one");
      }
      images.put(runtime, image);
    });
    return new InstanceSettings(images, region, accountId);
  }

  /** {@code FC_RUNTIME_IMAGE_PYTHON3_10} for python3.10. */
  public static String environmentName(FcRuntime runtime) {
    return "FC_RUNTIME_IMAGE_" + runtime.fcName().toUpperCase(java.util.Locale.ROOT).replace('.', '_');
  }
}
