package dev.fc.operator.desired;

import dev.fc.operator.api.FcRuntime;
import java.util.EnumMap;
import java.util.Map;

/**
 * The desired-state layer's settings, the operator's own that shape the objects of every instance: the image for
 * each runtime (for private registries), and FC's region and account id as the runtime reports them. Set from the
 * command line by {@code cli.InstanceSettingsOptions}; the reconciler's timings are {@code ReconcilerSettings}.
 */
public record InstanceSettings(Map<FcRuntime, String> runtimeImages, String region, String accountId) {
  public static final String DEFAULT_REGION = "local";

  public InstanceSettings {
    EnumMap<FcRuntime, String> images = new EnumMap<>(FcRuntime.class);
    for (FcRuntime runtime : FcRuntime.values()) {
      images.put(runtime, defaultImage(runtime));
    }
    if (runtimeImages != null) {
      images.putAll(runtimeImages);
    }
    runtimeImages = Map.copyOf(images);
    region = region == null || region.isBlank() ? DEFAULT_REGION : region;
    accountId = accountId == null ? "" : accountId;
  }

  public static InstanceSettings defaults() {
    return new InstanceSettings(Map.of(), DEFAULT_REGION, "");
  }

  /** {@code python:<version>-slim}: stock images work, the runtime comes through a ConfigMap. */
  public static String defaultImage(FcRuntime runtime) {
    return "python:" + runtime.pythonVersion() + "-slim";
  }

  public String imageFor(FcRuntime runtime) {
    return runtimeImages.get(runtime);
  }
}
