package dev.fc.operator.reconciler;

import dev.fc.operator.api.Code;
import dev.fc.operator.api.FunctionInstance;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.config.Cloner;

/**
 * java-operator-sdk hands each reconcile a copy of the cached resource, made through JSON. What the cache keeps
 * outside JSON, a FunctionInstance's inline-code digest ({@link CachePruning#functionInstance}), is carried to the
 * copy, so that the reconcile sees the code as the cache holds it.
 */
public final class CacheKeepingCloner implements Cloner {
  private final KubernetesSerialization serialization;

  public CacheKeepingCloner(KubernetesSerialization serialization) {
    this.serialization = serialization;
  }

  @Override
  public <R extends HasMetadata> R clone(R object) {
    R copy = serialization.clone(object);
    if (object instanceof FunctionInstance original && copy instanceof FunctionInstance cloned) {
      Code code = original.getSpec() == null ? null : original.getSpec().getCode();
      if (code != null && code.inlineDropped()) {
        cloned.getSpec().getCode().keepDroppedInline(code.inlineDigest());
      }
    }
    return copy;
  }
}
