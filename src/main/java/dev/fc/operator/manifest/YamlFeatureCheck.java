package dev.fc.operator.manifest;

import dev.fc.operator.input.InputException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;

/**
 * Refuses the YAML a FunctionInstance must not rely on, before any mapping: a key written twice in
 * one mapping (YAML would keep one silently) and aliases, merge keys included (Jackson reads an
 * alias as the anchor's name, not its value, while kubectl expands it: the file would mean two
 * things). An anchor nobody refers to changes nothing and is let through.
 */
final class YamlFeatureCheck {
  private static final YAMLFactory YAML = new YAMLFactory();

  private YamlFeatureCheck() {}

  static void check(Path file, String text) throws InputException {
    try (YAMLParser parser = YAML.createParser(text)) {
      Deque<Set<String>> keysOfOpenMappings = new ArrayDeque<>();
      JsonToken token;
      while ((token = parser.nextToken()) != null) {
        if (parser.isCurrentAlias()) {
          throw new InputException(file + ": " + at(parser) + key(parser) + "the alias *" + parser.getText()
              + " is not supported: write the value out in full (no anchors or aliases)");
        }
        switch (token) {
          case START_OBJECT -> keysOfOpenMappings.push(new HashSet<>());
          case END_OBJECT -> keysOfOpenMappings.pop();
          case FIELD_NAME -> {
            if (!keysOfOpenMappings.peek().add(parser.currentName())) {
              throw new InputException(file + ": " + at(parser) + "the key \"" + parser.currentName()
                  + "\" appears twice in the same mapping: keep one");
            }
          }
          default -> { }
        }
      }
    } catch (JsonProcessingException e) {
      throw new InputException(file + ": " + FunctionInstanceFile.explain(e));
    } catch (IOException e) {
      throw new InputException(file + ": cannot read: " + e.getMessage());
    }
  }

  private static String key(JsonParser parser) throws IOException {
    String name = parser.currentName();
    return name == null ? "" : "at key \"" + name + "\": ";
  }

  private static String at(JsonParser parser) {
    JsonLocation location = parser.currentTokenLocation();
    return "line " + location.getLineNr() + ", column " + location.getColumnNr() + ": ";
  }
}
