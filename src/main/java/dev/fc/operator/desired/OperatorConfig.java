package dev.fc.operator.desired;

import dev.fc.operator.api.Runtime;
import java.util.EnumMap;
import java.util.Map;

/**
 * The operator's own settings that shape what it creates: the image for each runtime (for private
 * registries), and FC's region and account id as the runtime reports them.
 */
public record OperatorConfig(Map<Runtime, String> runtimeImages, String region, String accountId) {
  public static final String DEFAULT_REGION = "local";

  public OperatorConfig {
    EnumMap<Runtime, String> images = new EnumMap<>(Runtime.class);
    for (Runtime runtime : Runtime.values()) {
      images.put(runtime, defaultImage(runtime));
    }
    if (runtimeImages != null) {
      images.putAll(runtimeImages);
    }
    runtimeImages = Map.copyOf(images);
    region = region == null || region.isBlank() ? DEFAULT_REGION : region;
    accountId = accountId == null ? "" : accountId;
  }

  public static OperatorConfig defaults() {
    return new OperatorConfig(Map.of(), DEFAULT_REGION, "");
  }

  /** {@code python:<version>-slim}: stock images work, the runtime comes through a ConfigMap. */
  public static String defaultImage(Runtime runtime) {
    return "python:" + runtime.pythonVersion() + "-slim";
  }

  public String imageFor(Runtime runtime) {
    return runtimeImages.get(runtime);
  }
}
