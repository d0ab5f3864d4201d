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
      if (runtime.hasRuntimeImage()) {
        images.put(runtime, defaultImage(runtime));
      }
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

  /** The runtime whose image the custom runtimes' adapter runs in (it needs only Python's standard library). */
  public static final FcRuntime ADAPTER_RUNTIME = FcRuntime.DEFAULT;
  /**
   * FC's custom.debian12 runs the user's command on Debian 12 with interpreters installed: the stock Debian 12 image
   * with Python 3 (a plain debian:12-slim has none), so {@code python3 app.py} runs as on FC.
   */
  public static final String DEBIAN12_IMAGE = "python:3.12-slim-bookworm";

  /**
   * {@code python:<version>-slim}: stock images work, the runtime comes through a ConfigMap; {@value #DEBIAN12_IMAGE}
   * for custom.debian12.
   */
  public static String defaultImage(FcRuntime runtime) {
    if (runtime == FcRuntime.CUSTOM_DEBIAN12) {
      return DEBIAN12_IMAGE;
    }
    if (runtime.node()) {
      return "node:" + runtime.nodeVersion() + "-slim";
    }
    return "python:" + runtime.pythonVersion() + "-slim";
  }

  /** The configured image of a runtime that {@link FcRuntime#hasRuntimeImage has one}. */
  public String imageFor(FcRuntime runtime) {
    if (!runtime.hasRuntimeImage()) {
      throw new IllegalArgumentException(runtime + " brings its own image (customContainerConfig.image)");
    }
    return runtimeImages.get(runtime);
  }

  /** The image of the custom runtimes' adapter container: {@link #ADAPTER_RUNTIME}'s. */
  public String adapterImage() {
    return imageFor(ADAPTER_RUNTIME);
  }
}
