package dev.fc.operator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** Whether an object is controlled by a given owner: the operator touches nothing else. */
final class Ownership {
  private Ownership() {}

  static boolean controlledBy(HasMetadata object, String ownerUid) {
    var refs = object.getMetadata().getOwnerReferences();
    return refs != null && refs.stream()
        .anyMatch(ref -> Boolean.TRUE.equals(ref.getController()) && ownerUid.equals(ref.getUid()));
  }
}
