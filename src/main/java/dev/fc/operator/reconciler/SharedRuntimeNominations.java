package dev.fc.operator.reconciler;

import dev.fc.operator.api.FunctionInstance;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The users nominated to become owners of each shared runtime ConfigMap ({@link SharedRuntimeOwners#candidates}),
 * remembered per version of the ConfigMap: scanning the namespace's functions on every reconcile would cost N² while
 * owners are missing.
 */
final class SharedRuntimeNominations {
  private final Map<ResourceID, Nomination> nominations = new ConcurrentHashMap<>();

  private record Nomination(String resourceVersion, List<FunctionInstance> candidates) {}

  /**
   * The nominees of {@code configMap}: those of its version still {@code live}, if they are at least {@code missing};
   * else {@code compute}d again (a namespace that had too few users then, a nominee gone since).
   */
  List<FunctionInstance> of(ConfigMap configMap, int missing, Predicate<FunctionInstance> live,
      Supplier<List<FunctionInstance>> compute) {
    ResourceID id = ResourceID.fromResource(configMap);
    Nomination known = nominations.get(id);
    if (known != null && known.resourceVersion().equals(configMap.getMetadata().getResourceVersion())) {
      List<FunctionInstance> stillThere = known.candidates().stream().filter(live).toList();
      if (stillThere.size() >= missing) {
        return stillThere;
      }
    }
    List<FunctionInstance> candidates = compute.get();
    nominations.put(id, new Nomination(configMap.getMetadata().getResourceVersion(), candidates));
    return candidates;
  }

  /** The ConfigMaps of {@code gone}'s namespace whose nominees include it. */
  List<ResourceID> naming(FunctionInstance gone) {
    String uid = gone.getMetadata().getUid();
    String namespace = gone.getMetadata().getNamespace();
    return nominations.entrySet().stream()
        .filter(e -> namespace.equals(e.getKey().getNamespace().orElse(null)))
        .filter(e -> e.getValue().candidates().stream().anyMatch(fi -> uid.equals(fi.getMetadata().getUid())))
        .map(Map.Entry::getKey)
        .toList();
  }

  /** Forgets a ConfigMap that went. */
  void remove(ResourceID configMap) {
    nominations.remove(configMap);
  }
}
