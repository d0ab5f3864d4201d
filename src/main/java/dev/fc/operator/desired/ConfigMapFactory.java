package dev.fc.operator.desired;

import dev.fc.operator.api.FunctionInstance;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.KeyToPath;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The function's ConfigMaps: one with the runtime's files, one with inline code. Their names carry a
 * hash of their content and they are immutable, so a change of code gives a new ConfigMap, a new pod
 * template and a rollout, while old instances keep the code they started with.
 */
public final class ConfigMapFactory {
  private ConfigMapFactory() {}

  /** @param runtimeHash {@code ContentHash.ofFiles(runtimeFiles)}, computed once by the caller */
  public static ConfigMap runtime(FunctionInstance fi, Map<String, String> runtimeFiles, String runtimeHash) {
    String name = fi.getMetadata().getName() + "-runtime-" + runtimeHash;
    return new ConfigMapBuilder()
        .withMetadata(Owners.ownedMetadata(fi, name,
            Labels.owned(fi.getMetadata().getName(), Labels.Components.RUNTIME)))
        .withImmutable(true)
        .withData(new TreeMap<>(runtimeFiles))
        .build();
  }

  /** Inline code; keys encode folders ({@code python/lib.py} is stored as {@code python..lib.py}). */
  public static ConfigMap inlineCode(FunctionInstance fi, Map<String, String> files) {
    String name = fi.getMetadata().getName() + "-code-" + ContentHash.ofFiles(files);
    Map<String, String> data = new TreeMap<>();
    files.forEach((path, content) -> data.put(keyFor(path), content));
    return new ConfigMapBuilder()
        .withMetadata(Owners.ownedMetadata(fi, name,
            Labels.owned(fi.getMetadata().getName(), Labels.Components.CODE)))
        .withImmutable(true)
        .withData(data)
        .build();
  }

  /** The volume items that put each inline key back at its path under /code. */
  public static List<KeyToPath> inlineCodeItems(Map<String, String> files) {
    return new TreeMap<>(files).keySet().stream()
        .map(path -> new KeyToPath(keyFor(path), null, path))
        .toList();
  }

  /**
   * ConfigMap keys cannot hold '/', so folders become "..", which a file name can never hold
   * (the validator refuses ".." in inline names).
   */
  public static String keyFor(String path) {
    return path.replace("/", "..");
  }
}
