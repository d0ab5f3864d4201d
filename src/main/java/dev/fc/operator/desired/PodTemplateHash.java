package dev.fc.operator.desired;

import dev.fc.operator.api.ContentHash;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Map;

/**
 * The pod template hash ({@code fc.dev/template-hash}): of what the pod is, never of whose it is, in a
 * canonical form. Built from the defaulted spec, so it does not matter whether the API server (the CRD
 * schema's defaults) or {@code SpecDefaults} supplied the defaults. Left out: the ownerReferences, which
 * hold the FunctionInstance's uid (a new one for every object, none in {@code render}). Map entries are
 * sorted, so the order in which a map was written does not count either (the API server sorts keys).
 */
final class PodTemplateHash {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final ObjectMapper CANONICAL = new ObjectMapper()
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private PodTemplateHash() {}

  /** @param pod the pod template without its hash label */
  static String of(Pod pod) {
    @SuppressWarnings("unchecked")
    Map<String, Object> tree = SERIALIZATION.convertValue(pod, Map.class);
    if (tree.get("metadata") instanceof Map<?, ?> metadata) {
      metadata.remove("ownerReferences");
    }
    try {
      return ContentHash.of(CANONICAL.writeValueAsString(tree));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a pod always serializes", e);
    }
  }
}
