package dev.fc.operator.convert;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.fc.operator.input.InputException;
import dev.fc.operator.input.InputText;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * An s.yaml read into a tree, with the line and column of every key and value kept aside by path.
 * Scalars are kept as the text written ({@code 0.10} stays {@code 0.10}); only {@code null}, {@code ~}
 * and empty values become null. Only the first YAML document is read.
 */
public final class SYamlDocument {
  /** Mappings and lists inside each other, this many at most: an s.yaml needs a handful. */
  public static final int MAX_NESTING = 100;
  /**
   * Characters on one line at most. The YAML reader copies its look-ahead for every 1 Ki characters of a
   * line, so a line of megabytes takes seconds to read (4 Mi: 10 s); an s.yaml needs short lines, and a
   * long value can be written over many (a block scalar, {@code |}).
   */
  public static final int MAX_LINE_CHARS = 64 * 1024;
  /** The document size is bounded by the file's ({@link InputText#MAX_BYTES}), not by a second limit. */
  private static final YAMLFactory YAML = YAMLFactory.builder().loaderOptions(loaderOptions())
      // what new YAMLFactory() has, and its builder does not: an empty value is null
      .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
      .build();
  /** "Name length (50001) exceeds the maximum allowed (50000, from ...)". */
  private static final Pattern PARSER_LIMIT =
      Pattern.compile("^(.+?) \\((\\d+)\\) exceeds the maximum allowed \\((\\d+)");

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
   * Reads {@code text}; {@code file} names it in messages. Syntax errors, duplicate keys, YAML aliases
   * (which this reader does not expand) and nesting deeper than {@link #MAX_NESTING} are an
   * {@link InputException} "file:line:column: ...".
   */
  public static SYamlDocument parse(String file, String text) throws InputException {
    InputText.refuseLongLines(file, text, MAX_LINE_CHARS, "(64 Ki) convert reads",
        "write a long value over several lines (a block scalar, |)");
    try (YAMLParser parser = YAML.createParser(text)) {
      try {
        if (parser.nextToken() == null) {
          throw new InputException(file + ":1:1: is empty: expected an s.yaml with edition, vars and resources");
        }
        TreeReader reader = new TreeReader(file, parser);
        JsonNode root = reader.value(PropPath.ROOT, 0);
        boolean more = parser.nextToken() != null;
        return new SYamlDocument(file, root, reader.keys, reader.values, more);
      } catch (StreamConstraintsException e) {
        Location at = TreeReader.location(parser.currentLocation());
        throw new InputException(file + ":" + at.line() + ":" + at.column() + ": " + beyondLimits(e));
      }
    } catch (StreamReadException e) {
      throw new InputException(YamlSyntaxError.describe(file, text, e));
    } catch (IOException e) {
      throw new InputException(file + ": cannot read: " + e.getMessage());
    }
  }

  private static LoaderOptions loaderOptions() {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(InputText.MAX_BYTES);
    return options;
  }

  /** The parser's own limits in the user's words (a key longer than 50000 characters, ...). */
  private static String beyondLimits(StreamConstraintsException e) {
    String message = e.getOriginalMessage();
    Matcher limit = PARSER_LIMIT.matcher(message);
    if (!limit.find()) {
      return "not valid YAML: " + message;
    }
    String what = switch (limit.group(1)) {
      case "Name length" -> "a key";
      case "String value length" -> "a value";
      case "Number value length" -> "a number";
      case "Document nesting depth" -> "the nesting of mappings and lists";
      default -> limit.group(1).toLowerCase(java.util.Locale.ROOT);
    };
    return "not valid YAML: " + what + " is larger than the YAML reader allows (" + limit.group(2) + ", at most "
        + limit.group(3) + ")";
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

    /** Reads the value at the current token, {@code depth} levels deep, leaving the parser on its last token. */
    JsonNode value(PropPath path, int depth) throws IOException, InputException {
      Location at = location(parser.currentTokenLocation());
      values.put(path, at);
      if (depth > MAX_NESTING) {
        throw new InputException(file + ":" + at.line() + ":" + at.column() + ": " + shortened(path)
            + ": nests mappings and lists more than " + MAX_NESTING + " levels deep; an s.yaml needs a handful");
      }
      if (parser.isCurrentAlias()) {
        throw new InputException(file + ":" + at.line() + ":" + at.column() + ": " + describe(path)
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
              throw new InputException(file + ":" + keyAt.line() + ":" + keyAt.column() + ": " + child
                  + " is written twice (first on line " + first.line() + "): keep one");
            }
            keys.put(child, keyAt);
            parser.nextToken();
            object.set(key, value(child, depth + 1));
          }
          return object;
        }
        case START_ARRAY -> {
          ArrayNode array = JsonNodeFactory.instance.arrayNode();
          int index = 0;
          while (parser.nextToken() != JsonToken.END_ARRAY) {
            array.add(value(path.item(index++), depth + 1));
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

    /** The path's first segments: a path 100 levels deep does not fit a message. */
    private static String shortened(PropPath path) {
      int shown = 4;
      return path.segments().size() <= shown ? path.toString()
          : new PropPath(path.segments().subList(0, shown)) + "...";
    }

    static Location location(JsonLocation location) {
      return new Location(Math.max(1, location.getLineNr()), Math.max(1, location.getColumnNr()));
    }
  }
}
