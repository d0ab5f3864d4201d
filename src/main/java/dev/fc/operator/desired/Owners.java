package dev.fc.operator.desired;

import dev.fc.operator.api.FunctionInstance;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.Map;

/** Metadata shared by every owned object: namespace, labels, and the controller ownerReference. */
final class Owners {
  private Owners() {}

  static OwnerReference controllerReference(FunctionInstance fi) {
    return new OwnerReferenceBuilder()
        .withApiVersion(FunctionInstance.API_VERSION)
        .withKind(FunctionInstance.KIND)
        .withName(fi.getMetadata().getName())
        .withUid(fi.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  static ObjectMeta ownedMetadata(FunctionInstance fi, String name, Map<String, String> labels) {
    return new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(fi.getMetadata().getNamespace())
        .withLabels(labels)
        .withOwnerReferences(controllerReference(fi))
        .build();
  }
}
