package dev.fc.operator.convert;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * An s.yaml read into a tree, with the line and column of every key and value kept aside by path.
 * Scalars are kept as the text written ({@code 0.10} stays {@code 0.10}); only {@code null}, {@code ~}
 * and empty values become null. Only the first YAML document is read.
 */
public final class SYamlDocument {
  private static final YAMLFactory YAML = new YAMLFactory();

  private final String file;
  private final JsonNode root;
  private final Map<PropPath, Location> keys;
  private final Map<PropPath, Location> values;
  private final boolean moreDocuments;

  private SYamlDocument(String file, JsonNode root, Map<PropPath, Location> keys, Map<PropPath, Location> values,
      boolean moreDocuments) {
    this.file = file;
    this.root = root;
    this.keys = keys;
    this.values = values;
    this.moreDocuments = moreDocuments;
  }

  /**
   * Reads {@code text}; {@code file} names it in messages. Syntax errors, duplicate keys and YAML
   * aliases (which this reader does not expand) are an {@link SYamlException} "file:line:column: ...".
   */
  public static SYamlDocument parse(String file, String text) throws SYamlException {
    try (YAMLParser parser = YAML.createParser(text)) {
      if (parser.nextToken() == null) {
        throw new SYamlException(file + ":1:1: is empty: expected an s.yaml with edition, vars and resources");
      }
      TreeReader reader = new TreeReader(file, parser);
      JsonNode root = reader.value(PropPath.ROOT);
      boolean more = parser.nextToken() != null;
      return new SYamlDocument(file, root, reader.keys, reader.values, more);
    } catch (StreamReadException e) {
      throw new SYamlException(YamlSyntaxError.describe(file, text, e));
    } catch (IOException e) {
      throw new SYamlException(file + ": cannot read: " + e.getMessage());
    }
  }

  public String file() {
    return file;
  }

  public JsonNode root() {
    return root;
  }

  /** Whether the file holds more than one YAML document (only the first is read). */
  public boolean hasMoreDocuments() {
    return moreDocuments;
  }

  /** The node at {@code path} as written, or a missing node. */
  public JsonNode node(PropPath path) {
    JsonNode node = root;
    for (String segment : path.segments()) {
      if (node.isArray() && segment.startsWith("[")) {
        node = node.path(Integer.parseInt(segment.substring(1, segment.length() - 1)));
      } else {
        node = node.path(segment);
      }
    }
    return node;
  }

  /**
   * Where the key at {@code path} is written (its value for list items), or else where its nearest
   * written ancestor is: paths that are missing, or that a variable filled in, point at their parent.
   */
  public Location keyLocation(PropPath path) {
    for (PropPath p = path; ; p = p.parent()) {
      Location at = keys.containsKey(p) ? keys.get(p) : values.get(p);
      if (at != null) {
        return at;
      }
      if (p.isRoot()) {
        return Location.START;
      }
    }
  }

  /** Where the value at {@code path} starts, falling back like {@link #keyLocation}. */
  public Location valueLocation(PropPath path) {
    Location at = values.get(path);
    return at != null ? at : keyLocation(path);
  }

  /** Builds the tree from the parser's tokens, noting locations on the way. */
  private static final class TreeReader {
    private final String file;
    private final YAMLParser parser;
    private final Map<PropPath, Location> keys = new HashMap<>();
    private final Map<PropPath, Location> values = new HashMap<>();

    TreeReader(String file, YAMLParser parser) {
      this.file = file;
      this.parser = parser;
    }

    /** Reads the value at the current token, leaving the parser on its last token. */
    JsonNode value(PropPath path) throws IOException, SYamlException {
      Location at = location(parser.currentTokenLocation());
      values.put(path, at);
      if (parser.isCurrentAlias()) {
        throw new SYamlException(file + ":" + at.line() + ":" + at.column() + ": " + describe(path)
            + "the alias *" + parser.getText() + " is not supported by convert: write the value out in full");
      }
      JsonToken token = parser.currentToken();
      switch (token) {
        case START_OBJECT -> {
          ObjectNode object = JsonNodeFactory.instance.objectNode();
          while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            PropPath child = path.child(key);
            Location keyAt = location(parser.currentTokenLocation());
            if (object.has(key)) {
              Location first = keys.get(child);
              throw new SYamlException(file + ":" + keyAt.line() + ":" + keyAt.column() + ": " + child
                  + " is written twice (first on line " + first.line() + "): keep one");
            }
            keys.put(child, keyAt);
            parser.nextToken();
            object.set(key, value(child));
          }
          return object;
        }
        case START_ARRAY -> {
          ArrayNode array = JsonNodeFactory.instance.arrayNode();
          int index = 0;
          while (parser.nextToken() != JsonToken.END_ARRAY) {
            array.add(value(path.item(index++)));
          }
          return array;
        }
        case VALUE_NULL -> {
          return JsonNodeFactory.instance.nullNode();
        }
        default -> {
          return JsonNodeFactory.instance.textNode(parser.getText());
        }
      }
    }

    private static String describe(PropPath path) {
      return path.isRoot() ? "" : path + ": ";
    }

    private static Location location(JsonLocation location) {
      return new Location(Math.max(1, location.getLineNr()), Math.max(1, location.getColumnNr()));
    }
  }
}
