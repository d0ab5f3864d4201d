package dev.fc.operator.reconciler;

import dev.fc.operator.api.FunctionInstance;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The owner scheme of a shared runtime ConfigMap, as pure functions. A few of the functions that mount it
 * ({@link #OWNERS}) are its owners, none of them its controller. Deleting one of them leaves the others, so the
 * garbage collector only drops its reference, and the oldest user that is not an owner takes its place. When the last
 * user goes, so does the last owner, and the garbage collector deletes the ConfigMap, with or without the operator.
 * The bound keeps the ConfigMap small and written a few times, not once per function.
 */
final class SharedRuntimeOwners {
  /** Owners kept: more than one, so that deleting any one function never deletes the ConfigMap under another. */
  static final int OWNERS = 3;

  /** What one user does about the shared ConfigMap. */
  enum Step { CREATE, ADD_OWNER, NONE }

  private SharedRuntimeOwners() {}

  /**
   * @param cached the ConfigMap as the cache holds it, or null when it holds none
   * @param live whether an owner reference names a FunctionInstance that exists (and is not being deleted)
   * @param candidate whether {@code fi} is among {@link #candidates}
   */
  static Step step(ConfigMap cached, FunctionInstance fi, Predicate<OwnerReference> live, boolean candidate) {
    if (cached == null) {
      return Step.CREATE;
    }
    if (ownedBy(cached, fi.getMetadata().getUid()) || liveOwners(cached, live).size() >= OWNERS) {
      return Step.NONE;
    }
    return candidate ? Step.ADD_OWNER : Step.NONE;
  }

  static List<OwnerReference> liveOwners(ConfigMap configMap, Predicate<OwnerReference> live) {
    List<OwnerReference> refs = configMap.getMetadata().getOwnerReferences();
    return refs == null ? List.of() : refs.stream().filter(SharedRuntimeOwners::namesFunction).filter(live).toList();
  }

  static boolean ownedBy(ConfigMap configMap, String uid) {
    List<OwnerReference> refs = configMap.getMetadata().getOwnerReferences();
    return refs != null && refs.stream().anyMatch(ref -> uid.equals(ref.getUid()));
  }

  /**
   * The users that should become owners: the oldest (then by name) functions of the ConfigMap's namespace that mount
   * it and are not owners, as many as owners are missing. Every reconcile and every event of the ConfigMap picks the
   * same ones, so they do not race the rest of the namespace.
   *
   * @param namespaceFunctions the namespace's FunctionInstances
   * @param wants the shared runtime ConfigMap a function mounts, or null when it mounts none (an invalid spec, a
   *     function being deleted)
   */
  static List<FunctionInstance> candidates(ConfigMap configMap, Stream<FunctionInstance> namespaceFunctions,
      Function<FunctionInstance, String> wants, Predicate<OwnerReference> live) {
    int missing = OWNERS - liveOwners(configMap, live).size();
    if (missing <= 0) {
      return List.of();
    }
    String name = configMap.getMetadata().getName();
    return namespaceFunctions
        .filter(fi -> !ownedBy(configMap, fi.getMetadata().getUid()))
        .filter(fi -> name.equals(wants.apply(fi)))
        .sorted(Comparator.comparing((FunctionInstance fi) -> String.valueOf(fi.getMetadata().getCreationTimestamp()))
            .thenComparing(fi -> fi.getMetadata().getName()))
        .limit(missing)
        .toList();
  }

  static List<ResourceID> ids(List<FunctionInstance> functions) {
    return functions.stream().map(ResourceID::fromResource).toList();
  }

  /** An owner, not the controller, and not blocking its owner's deletion (which would wait on a shared object). */
  static OwnerReference reference(FunctionInstance fi) {
    return new OwnerReferenceBuilder()
        .withApiVersion(FunctionInstance.API_VERSION)
        .withKind(FunctionInstance.KIND)
        .withName(fi.getMetadata().getName())
        .withUid(fi.getMetadata().getUid())
        .build();
  }

  private static boolean namesFunction(OwnerReference ref) {
    return FunctionInstance.KIND.equals(ref.getKind()) && FunctionInstance.API_VERSION.equals(ref.getApiVersion());
  }
}
