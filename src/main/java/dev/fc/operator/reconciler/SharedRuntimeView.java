package dev.fc.operator.reconciler;

import dev.fc.operator.api.FunctionInstance;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.List;
import java.util.function.Predicate;

/** What {@link SharedRuntimes} reads of the operator's caches: no request to the API. */
interface SharedRuntimeView {
  /** The shared runtime ConfigMap as cached, or null. */
  ConfigMap cached(String namespace, String name);

  /**
   * The users of {@code configMap} that should become its owners ({@link SharedRuntimeOwners#candidates}), computed
   * once per version of the ConfigMap and not on every reconcile: scanning the namespace's functions on each of them
   * would cost N² while owners are missing.
   */
  List<FunctionInstance> candidates(ConfigMap configMap);

  /** Whether an owner reference of an object in {@code namespace} names a FunctionInstance that exists and stays. */
  Predicate<OwnerReference> live(String namespace);

  /** Whether any of the operator's pods in {@code namespace} mounts the ConfigMap {@code name}. */
  boolean mounted(String namespace, String name);
}
