package dev.fc.operator.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.validation.FieldError;
import dev.fc.operator.validation.SpecValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Reads and validates the FunctionInstances of a YAML file, turning every problem into one clear line. */
public final class FunctionInstanceFile {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
  private static final Map<Class<?>, String> TYPE_NAMES = Map.of(
      Integer.class, "a whole number", int.class, "a whole number", Long.class, "a whole number",
      Double.class, "a number", String.class, "a string", Map.class, "a map of names to values",
      List.class, "a list");

  private FunctionInstanceFile() {}

  /** Every document of the file, checked, namespace defaulted to {@code default}. */
  public static List<FunctionInstance> read(Path file) throws InputException {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new InputException(file + ": no such file");
    } catch (IOException e) {
      throw new InputException(file + ": cannot read: " + e.getMessage());
    }
    checkKinds(file, text);
    List<FunctionInstance> instances = new ArrayList<>();
    try (MappingIterator<FunctionInstance> docs = YAML.readerFor(FunctionInstance.class).readValues(text)) {
      int index = 0;
      while (docs.hasNextValue()) {
        index++;
        FunctionInstance fi = docs.nextValue();
        if (fi == null) {
          continue;
        }
        if (fi.getMetadata() != null && fi.getMetadata().getNamespace() == null) {
          fi.getMetadata().setNamespace("default");
        }
        List<FieldError> errors = SpecValidator.validate(fi);
        if (!errors.isEmpty()) {
          throw new InputException(file + ": " + describe(index, fi) + errors.stream().map(FieldError::toString)
              .collect(Collectors.joining("; ")));
        }
        instances.add(fi);
      }
    } catch (JsonProcessingException e) {
      throw new InputException(file + ": " + explain(e));
    } catch (IOException e) {
      throw new InputException(file + ": cannot read: " + e.getMessage());
    }
    if (instances.isEmpty()) {
      throw new InputException(file + ": holds no FunctionInstance");
    }
    return instances;
  }

  private static void checkKinds(Path file, String text) throws InputException {
    try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(text)) {
      int index = 0;
      while (docs.hasNextValue()) {
        index++;
        JsonNode doc = docs.nextValue();
        if (doc == null || doc.isNull() || doc.isMissingNode()) {
          continue;
        }
        if (!doc.isObject()) {
          throw new InputException(file + ": document " + index + " is not a mapping: expected a FunctionInstance");
        }
        String apiVersion = doc.path("apiVersion").asText("");
        String kind = doc.path("kind").asText("");
        if (!FunctionInstance.API_VERSION.equals(apiVersion) || !FunctionInstance.KIND.equals(kind)) {
          throw new InputException(file + ": document " + index + ": apiVersion/kind must be "
              + FunctionInstance.API_VERSION + "/" + FunctionInstance.KIND + ", got \"" + apiVersion + "/" + kind + "\"");
        }
      }
    } catch (JsonProcessingException e) {
      throw new InputException(file + ": " + explain(e));
    } catch (IOException e) {
      throw new InputException(file + ": cannot read: " + e.getMessage());
    }
  }

  private static String describe(int index, FunctionInstance fi) {
    String name = fi.getMetadata() == null ? null : fi.getMetadata().getName();
    return name == null ? "document " + index + ": " : "FunctionInstance \"" + name + "\": ";
  }

  /** A Jackson error as "spec.timeout: must be a whole number, got "abc" (line 7, column 12)". */
  static String explain(JsonProcessingException e) {
    String where = location(e.getLocation());
    if (e instanceof UnrecognizedPropertyException unknown) {
      String parent = path(unknown.getPath().subList(0, unknown.getPath().size() - 1));
      return (parent.isEmpty() ? "" : parent + ": ") + "unknown field \"" + unknown.getPropertyName() + "\"; known: "
          + unknown.getKnownPropertyIds().stream().map(String::valueOf).sorted().collect(Collectors.joining(", "))
          + where;
    }
    if (e instanceof ValueInstantiationException invalid && invalid.getCause() != null) {
      return path(invalid.getPath()) + ": " + invalid.getCause().getMessage() + where;
    }
    if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
      String expected = TYPE_NAMES.getOrDefault(mismatch.getTargetType(), "a " + mismatch.getTargetType().getSimpleName());
      return path(mismatch.getPath()) + ": must be " + expected + where;
    }
    if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
      return path(mapping.getPath()) + ": " + e.getOriginalMessage() + where;
    }
    return "not valid YAML: " + e.getOriginalMessage().lines().findFirst().orElse("") + where;
  }

  private static String path(List<JsonMappingException.Reference> references) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : references) {
      if (ref.getFieldName() != null) {
        if (!path.isEmpty()) {
          path.append('.');
        }
        path.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  private static String location(JsonLocation location) {
    if (location == null || location.getLineNr() < 1) {
      return "";
    }
    return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
  }
}
