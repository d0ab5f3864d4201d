package dev.fc.operator.convert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fc.operator.validation.SpecValidator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the keys of one s.yaml mapping with their types, filling in variables, and remembers which keys
 * were read: {@link #warnUnhandled()} then warns about every other key, so none is dropped silently.
 * A wrong type is an error at the value; the read then gives nothing.
 */
final class MappingReader {
  static final String NO_EQUIVALENT = "has no equivalent in FunctionInstance; ignored";
  private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");

  private final ObjectNode node;
  private final PropPath path;
  private final ConversionContext context;
  /** Whether variables were already filled in (the mapping came from one). */
  private final boolean resolved;
  private final Set<String> handled = new HashSet<>();

  MappingReader(ObjectNode node, PropPath path, ConversionContext context, boolean resolved) {
    this.node = node;
    this.path = path;
    this.context = context;
    this.resolved = resolved;
  }

  PropPath path() {
    return path;
  }

  PropPath path(String key) {
    return path.child(key);
  }

  /** The keys in file order. */
  Iterable<String> keys() {
    return node::fieldNames;
  }

  /** The value with variables filled in; empty when absent or null. Marks the key read. */
  Optional<JsonNode> value(String key) {
    handled.add(key);
    JsonNode raw = node.get(key);
    if (raw == null || raw.isNull()) {
      return Optional.empty();
    }
    JsonNode value = resolved ? raw : context.variables().resolve(raw, path(key), context.diagnostics()::warn);
    return value.isNull() ? Optional.empty() : Optional.of(value);
  }

  Optional<String> text(String key) {
    return value(key).flatMap(value -> {
      if (value.isContainerNode()) {
        error(key, "must be text, got " + kind(value));
        return Optional.empty();
      }
      return Optional.of(value.asText());
    });
  }

  Optional<Integer> wholeNumber(String key) {
    return text(key).flatMap(text -> {
      try {
        return Optional.of(Integer.parseInt(text.strip()));
      } catch (NumberFormatException e) {
        error(key, "must be a whole number, got " + SpecValidator.shown(text));
        return Optional.empty();
      }
    });
  }

  Optional<Double> number(String key) {
    return text(key).flatMap(text -> {
      if (!NUMBER.matcher(text.strip()).matches()) {
        error(key, "must be a number, got " + SpecValidator.shown(text));
        return Optional.empty();
      }
      return Optional.of(Double.parseDouble(text.strip()));
    });
  }

  /** A mapping of names to text, in file order; a null value is the empty text. */
  Optional<Map<String, String>> textMap(String key) {
    return value(key).flatMap(value -> {
      if (!value.isObject()) {
        error(key, "must be a mapping of names to values, got " + kind(value));
        return Optional.empty();
      }
      Map<String, String> map = new LinkedHashMap<>();
      boolean ok = true;
      for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> entry = it.next();
        if (entry.getValue().isContainerNode()) {
          context.diagnostics().error(path(key).child(entry.getKey()), "must be text, got " + kind(entry.getValue()));
          ok = false;
        } else {
          map.put(entry.getKey(), entry.getValue().isNull() ? "" : entry.getValue().asText());
        }
      }
      return ok ? Optional.of(map) : Optional.empty();
    });
  }

  /**
   * A list of texts: a YAML sequence of scalars, or (FC 2.0's form) a text holding a JSON array of strings, e.g.
   * {@code '["python3", "app.py"]'}. Anything else is an error.
   */
  Optional<List<String>> textList(String key) {
    return value(key).flatMap(value -> {
      JsonNode list = value;
      if (value.isTextual()) {
        try {
          list = new com.fasterxml.jackson.databind.ObjectMapper().readTree(value.asText());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
          list = null;
        }
      }
      if (list == null || !list.isArray()) {
        error(key, "must be a list of texts (or, as FC 2.0 writes it, a JSON array in a text), got " + kind(value));
        return Optional.empty();
      }
      List<String> texts = new java.util.ArrayList<>();
      for (JsonNode item : list) {
        if (item.isContainerNode() || item.isNull()) {
          error(key, "must be a list of texts; an entry is " + kind(item));
          return Optional.empty();
        }
        texts.add(item.asText());
      }
      return Optional.of(texts);
    });
  }

  /** A nested mapping to read key by key; a wrong type is an error. */
  Optional<MappingReader> mapping(String key) {
    handled.add(key);
    JsonNode raw = node.get(key);
    if (raw == null || raw.isNull()) {
      return Optional.empty();
    }
    if (raw.isObject()) {
      return Optional.of(new MappingReader((ObjectNode) raw, path(key), context, resolved));
    }
    return value(key).flatMap(value -> {
      if (!value.isObject()) {
        error(key, "must be a mapping, got " + kind(value));
        return Optional.empty();
      }
      return Optional.of(new MappingReader((ObjectNode) value, path(key), context, true));
    });
  }

  /** Marks the key read without using it. */
  void skip(String key) {
    handled.add(key);
  }

  /** Marks the key read and, when it is written, warns "path.key message". */
  void ignore(String key, String message) {
    handled.add(key);
    if (node.has(key)) {
      context.diagnostics().warn(path(key), message);
    }
  }

  /** Warns about every key not read so far: it has no equivalent. */
  void warnUnhandled() {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (handled.add(key)) {
        context.diagnostics().warn(path(key), NO_EQUIVALENT);
      }
    }
  }

  private void error(String key, String message) {
    context.diagnostics().error(path(key), message);
  }

  private static String kind(JsonNode value) {
    return value.isObject() ? "a mapping" : value.isArray() ? "a list" : SpecValidator.shown(value.asText());
  }
}
