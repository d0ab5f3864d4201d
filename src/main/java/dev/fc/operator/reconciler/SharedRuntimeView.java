package dev.fc.operator.reconciler;

import dev.fc.operator.api.FunctionInstance;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** What {@link SharedRuntimes} reads of the operator's caches: no request to the API. */
interface SharedRuntimeView {
  /** The shared runtime ConfigMap as cached, or null. */
  ConfigMap cached(String namespace, String name);

  /** The namespace's FunctionInstances. */
  Stream<FunctionInstance> functions(String namespace);

  /** Whether an owner reference of an object in {@code namespace} names a FunctionInstance that exists and stays. */
  Predicate<OwnerReference> live(String namespace);

  /** The shared runtime ConfigMap {@code fi} mounts, or null when it mounts none (invalid, being deleted). */
  String wants(FunctionInstance fi);

  /** Whether any of the operator's pods in {@code namespace} mounts the ConfigMap {@code name}. */
  boolean mounted(String namespace, String name);
}
