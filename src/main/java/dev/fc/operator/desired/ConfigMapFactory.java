package dev.fc.operator.desired;

import dev.fc.operator.api.FcRuntime;
import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.api.InlineCodeDigest;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.KeyToPath;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The function's ConfigMaps: the runtime's files, shared by every function of the namespace that runs that runtime, and
 * the function's inline code. Their names carry a hash of their content and they are immutable, so a change of code (or
 * of the operator's runtime) gives a new ConfigMap, a new pod template and a rollout, while old instances keep what
 * they started with.
 */
public final class ConfigMapFactory {
  /** Every shared runtime ConfigMap's name starts so: {@code fc-runtime-python-<hash>}, {@code fc-runtime-nodejs-<hash>}. */
  public static final String SHARED_RUNTIME_PREFIX = "fc-runtime-";

  private ConfigMapFactory() {}

  /**
   * The runtime's files for every function of {@code namespace} that runs {@code runtime}'s language. It has no owner
   * here: the reconciler gives it a few of its users as owners (docs/operator.md, "The shared runtime ConfigMap").
   *
   * @param runtimeHash {@code ContentHash.ofFiles(runtimeFiles)}, computed once by the caller
   */
  public static ConfigMap runtime(String namespace, FcRuntime runtime, Map<String, String> runtimeFiles,
      String runtimeHash) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(runtimeName(runtime, runtimeHash))
        .withNamespace(namespace)
        .withLabels(Labels.sharedRuntime())
        .endMetadata()
        .withImmutable(true)
        .withData(new TreeMap<>(runtimeFiles))
        .build();
  }

  public static String runtimeName(FcRuntime runtime, String runtimeHash) {
    return SHARED_RUNTIME_PREFIX + (runtime.node() ? "nodejs" : "python") + "-" + runtimeHash;
  }

  /** Whether {@code configMap} is a shared runtime ConfigMap: the runtime's component, no one function's. */
  public static boolean isSharedRuntime(ConfigMap configMap) {
    Map<String, String> labels = configMap.getMetadata().getLabels();
    return labels != null && Labels.Components.RUNTIME.equals(labels.get(Labels.COMPONENT))
        && !labels.containsKey(Labels.FUNCTION);
  }

  /** Inline code; keys encode folders ({@code python/lib.py} is stored as {@code python..lib.py}). */
  public static ConfigMap inlineCode(FunctionInstance fi, Map<String, String> files) {
    ConfigMap configMap = inlineCode(fi, InlineCodeDigest.of(files));
    Map<String, String> data = new TreeMap<>();
    files.forEach((path, content) -> data.put(keyFor(path), content));
    configMap.setData(data);
    return configMap;
  }

  /**
   * The inline-code ConfigMap without its data, from the code's digest alone: what the reconciler knows until it
   * must write the ConfigMap ({@link #hasData}).
   */
  public static ConfigMap inlineCode(FunctionInstance fi, InlineCodeDigest digest) {
    ConfigMap configMap = new ConfigMapBuilder()
        .withMetadata(Owners.ownedMetadata(fi, inlineCodeName(fi.getMetadata().getName(), digest),
            Labels.owned(fi.getMetadata().getName(), Labels.Components.CODE)))
        .withImmutable(true)
        .build();
    configMap.setData(null);
    return configMap;
  }

  public static String inlineCodeName(String function, InlineCodeDigest digest) {
    return function + "-code-" + digest.hash();
  }

  /** Whether a desired ConfigMap carries its data; an inline-code one made from a digest does not. */
  public static boolean hasData(ConfigMap configMap) {
    return configMap.getData() != null;
  }

  /** The volume items that put each inline key back at its path under /code. */
  public static List<KeyToPath> inlineCodeItems(InlineCodeDigest files) {
    return files.paths().stream()
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
