package dev.fc.operator.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Refuses metadata a FunctionInstance file must not set. fabric8's ObjectMeta keeps unknown fields
 * aside instead of failing, so a typo such as {@code namepsace} would silently put the function in
 * "default"; fields such as uid or ownerReferences are the API server's, and render would ignore
 * them. In the cluster the API server owns metadata, so this is a file check only.
 */
final class MetadataCheck {
  /** The metadata a FunctionInstance file may set. */
  static final List<String> KNOWN = List.of("annotations", "labels", "name", "namespace");

  private MetadataCheck() {}

  /** "metadata: unknown field ..." for the document's metadata, or null when it is fine. */
  static String problem(JsonNode doc) {
    JsonNode metadata = doc.get("metadata");
    if (metadata == null || metadata.isNull()) {
      return null;
    }
    if (!metadata.isObject()) {
      return "metadata: must be a mapping with name and namespace";
    }
    List<String> unknown = new ArrayList<>();
    metadata.fieldNames().forEachRemaining(name -> {
      if (!KNOWN.contains(name)) {
        unknown.add(name);
      }
    });
    if (unknown.isEmpty()) {
      return null;
    }
    return "metadata: unknown field \"" + unknown.get(0) + "\"; known: " + String.join(", ", KNOWN);
  }
}
