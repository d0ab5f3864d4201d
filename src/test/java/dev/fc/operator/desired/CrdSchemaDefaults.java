package dev.fc.operator.desired;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the API server (1.20) does to a custom resource on its way in and out, from the committed CRD's
 * {@code openAPIV3Schema}: nulls of non-nullable fields pruned, the schema's defaults applied where a
 * field is absent (recursively, also inside defaults), and the JSON it sends back (Go's: object keys
 * sorted, a number with no fraction written as an integer).
 */
final class CrdSchemaDefaults {
  static final Path CRD = Path.of("crds/functioninstances.fc.dev-v1.yml");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final JsonNode schema;

  private CrdSchemaDefaults(JsonNode schema) {
    this.schema = schema;
  }

  static CrdSchemaDefaults fromCommittedCrd() {
    try {
      JsonNode crd = YAML.readTree(CRD.toFile());
      return new CrdSchemaDefaults(crd.path("spec").path("versions").get(0).path("schema").path("openAPIV3Schema"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A copy of {@code resource} as the API server stores and returns it. */
  JsonNode apply(JsonNode resource) {
    return asServed(defaulted(resource.deepCopy(), schema));
  }

  /** The paths (as "spec.cpu") of every field the schema defaults, with the default. */
  Map<String, JsonNode> defaults() {
    Map<String, JsonNode> found = new TreeMap<>();
    collect(schema, "", found);
    return found;
  }

  private static void collect(JsonNode schema, String path, Map<String, JsonNode> found) {
    if (schema.has("default")) {
      found.put(path, schema.get("default"));
    }
    schema.path("properties").fields().forEachRemaining(e ->
        collect(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(), found));
    if (schema.has("items")) {
      collect(schema.get("items"), path + "[]", found);
    }
  }

  private static JsonNode defaulted(JsonNode value, JsonNode schema) {
    if (value instanceof ObjectNode object) {
      JsonNode properties = schema.path("properties");
      properties.fields().forEachRemaining(e -> {
        JsonNode property = e.getValue();
        JsonNode present = object.get(e.getKey());
        boolean absent = present == null || (present.isNull() && !property.path("nullable").asBoolean(false));
        if (absent && property.has("default")) {
          object.set(e.getKey(), property.get("default").deepCopy());
        } else if (absent && present != null) {
          object.remove(e.getKey());
        }
      });
      List<String> names = new ArrayList<>();
      object.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        JsonNode sub = properties.has(name) ? properties.get(name) : schema.path("additionalProperties");
        if (sub.isObject()) {
          object.set(name, defaulted(object.get(name), sub));
        }
      }
    } else if (value instanceof ArrayNode array && schema.has("items")) {
      for (int i = 0; i < array.size(); i++) {
        array.set(i, defaulted(array.get(i), schema.get("items")));
      }
    }
    return value;
  }

  /** As Go's JSON writes it: object keys sorted, a number without fraction as an integer. */
  static JsonNode asServed(JsonNode value) {
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    if (value.isObject()) {
      ObjectNode sorted = nodes.objectNode();
      TreeMap<String, JsonNode> fields = new TreeMap<>();
      value.fields().forEachRemaining(e -> fields.put(e.getKey(), e.getValue()));
      fields.forEach((k, v) -> sorted.set(k, asServed(v)));
      return sorted;
    }
    if (value.isArray()) {
      ArrayNode copy = nodes.arrayNode();
      for (Iterator<JsonNode> it = value.elements(); it.hasNext(); ) {
        copy.add(asServed(it.next()));
      }
      return copy;
    }
    if (value.isFloatingPointNumber() && value.doubleValue() == Math.rint(value.doubleValue())
        && Math.abs(value.doubleValue()) < 1e15) {
      return nodes.numberNode(value.longValue());
    }
    return value;
  }
}
