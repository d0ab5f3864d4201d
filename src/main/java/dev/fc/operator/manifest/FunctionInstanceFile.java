package dev.fc.operator.manifest;

import dev.fc.operator.input.InputText;
import dev.fc.operator.input.InputException;
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
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.fc.operator.api.Code;
import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.api.FunctionInstanceSpec;
import dev.fc.operator.api.InstanceLifecycleConfig;
import dev.fc.operator.api.LifecycleHook;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import dev.fc.operator.validation.FieldError;
import dev.fc.operator.validation.SpecValidator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Reads and validates the FunctionInstances of a YAML file, turning every problem into one clear line. */
public final class FunctionInstanceFile {
  private static final ObjectMapper YAML = strictMapper();
  /** The longest line read: twice inline code's 1 MiB, room for its escapes in a quoted string. */
  public static final int MAX_LINE_CHARS = 2 * 1024 * 1024;
  /** What each Java type is called in the user's YAML; looked up by assignability, first match wins. */
  private static final Map<Class<?>, String> TYPE_NAMES = typeNames();
  private static final Pattern OUT_OF_RANGE = Pattern.compile("^Numeric value \\((.*?)\\) out of range");
  /** Jackson's "Cannot coerce String value ("512") to ...": the kind and the value given. */
  private static final Pattern COERCED_VALUE = Pattern.compile("(String|Floating-point|Integer|Boolean) value \\((.*?)\\)");

  private FunctionInstanceFile() {}

  /**
   * The CRD's types, taken literally: 512.5 is not an integer (Jackson would cut it to 512), "512" is
   * a string (the API server refuses it where the schema wants a number), 8 is not a string.
   */
  private static ObjectMapper strictMapper() {
    ObjectMapper mapper = new ObjectMapper(new YAMLFactory())
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    mapper.coercionConfigFor(LogicalType.Integer)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
    mapper.coercionConfigFor(LogicalType.Float)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
    mapper.coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    mapper.coercionConfigFor(LogicalType.Boolean)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
    return mapper;
  }

  private static Map<Class<?>, String> typeNames() {
    Map<Class<?>, String> names = new LinkedHashMap<>();
    names.put(Integer.class, "a whole number");
    names.put(int.class, "a whole number");
    names.put(Long.class, "a whole number");
    names.put(long.class, "a whole number");
    names.put(Double.class, "a number");
    names.put(double.class, "a number");
    names.put(String.class, "a string (quote it)");
    names.put(Boolean.class, "true or false");
    names.put(Map.class, "a mapping of NAME: value");
    names.put(List.class, "a list");
    names.put(LifecycleHook.class, "a mapping with handler and timeout");
    names.put(InstanceLifecycleConfig.class, "a mapping with initializer and/or preStop");
    names.put(Code.class, "a mapping with one of inline, configMap or image");
    names.put(FunctionInstanceSpec.class, "a mapping of the FunctionInstance's fields");
    names.put(ObjectMeta.class, "a mapping with name and namespace");
    names.put(EnvVar.class, "a mapping with name and value or valueFrom");
    names.put(EnvVarSource.class, "a mapping with one of secretKeyRef, configMapKeyRef, fieldRef or resourceFieldRef");
    return names;
  }

  private static String typeName(Class<?> type) {
    return TYPE_NAMES.entrySet().stream().filter(e -> e.getKey().isAssignableFrom(type)).map(Map.Entry::getValue)
        .findFirst().orElse("a mapping");
  }

  /** Every document of the file, checked, namespace defaulted to {@code default}. */
  public static List<FunctionInstance> read(Path file) throws InputException {
    String text = InputText.read(file);
    // inline code is at most 1 MiB: even a file that is one JSON string on one line fits; a whole document may not
    InputText.refuseLongLines(file.toString(), text, MAX_LINE_CHARS, "(2 Mi) read",
        "write the document over several lines, and inline code as a block scalar (|)");
    YamlFeatureCheck.check(file, text);
    checkKinds(file, text);
    List<FunctionInstance> instances = new ArrayList<>();
    try (JsonParser docs = YAML.createParser(text)) {
      int index = 0;
      // Document by document, so that an empty one ("---" and nothing) is skipped, not read as a FunctionInstance.
      while (docs.nextToken() != null) {
        index++;
        if (docs.currentToken() == JsonToken.VALUE_NULL) {
          continue;
        }
        FunctionInstance fi = YAML.readValue(docs, FunctionInstance.class);
        if (fi.getMetadata() != null && fi.getMetadata().getNamespace() == null) {
          fi.getMetadata().setNamespace("default");
        }
        List<FieldError> errors = new ArrayList<>(EnvUnknownFields.of(fi));
        errors.addAll(SpecValidator.validate(fi));
        if (!errors.isEmpty()) {
          throw new InputException(file + ": " + describe(index, fi) + errors.stream().map(FieldError::toString)
              .collect(Collectors.joining("; ")));
        }
        if (nameTaken(instances, fi)) {
          throw new InputException(file + ": document " + index + ": metadata.name: FunctionInstance \""
              + fi.getMetadata().getName() + "\" in namespace \"" + fi.getMetadata().getNamespace()
              + "\" appears twice in the file; each name may appear once per namespace");
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
        String metadataProblem = MetadataCheck.problem(doc);
        if (metadataProblem != null) {
          throw new InputException(file + ": document " + index + ": " + metadataProblem);
        }
      }
    } catch (JsonProcessingException e) {
      throw new InputException(file + ": " + explain(e));
    } catch (IOException e) {
      throw new InputException(file + ": cannot read: " + e.getMessage());
    }
  }

  private static boolean nameTaken(List<FunctionInstance> instances, FunctionInstance fi) {
    return instances.stream()
        .anyMatch(other -> other.getMetadata().getName().equals(fi.getMetadata().getName())
            && Objects.equals(other.getMetadata().getNamespace(), fi.getMetadata().getNamespace()));
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
      return path(mismatch.getPath()) + ": must be " + typeName(mismatch.getTargetType()) + given(mismatch) + where;
    }
    String message = e.getOriginalMessage().lines().findFirst().orElse("");
    if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
      return path(mapping.getPath()) + ": " + numberProblem(message).orElse(message) + where;
    }
    String field = parsingPath(e);
    if (field != null) {
      return field + ": " + numberProblem(message).orElse("not valid YAML: " + message) + where;
    }
    if (message.startsWith("Document nesting depth")) {
      return "not valid YAML: nests mappings and lists more than 1000 levels deep" + where;
    }
    return "not valid YAML: " + message + where;
  }

  /** The parser's number errors in the user's words: .nan and .inf, and whole numbers beyond 32 bits. */
  private static Optional<String> numberProblem(String message) {
    if (message.startsWith("Malformed numeric value")) {
      return Optional.of("must be a finite number, got " + message.substring(message.indexOf('\'')));
    }
    Matcher outOfRange = OUT_OF_RANGE.matcher(message);
    if (outOfRange.find()) {
      return Optional.of("must be a whole number from -2147483648 to 2147483647 (and within the field's range), got "
          + outOfRange.group(1));
    }
    return Optional.empty();
  }

  /** The field the parser stood in when it failed ("spec.cpu"), or null at the top or without a parser. */
  private static String parsingPath(JsonProcessingException e) {
    if (!(e.getProcessor() instanceof JsonParser parser) || parser.getParsingContext() == null) {
      return null;
    }
    List<String> parts = new ArrayList<>();
    for (var context = parser.getParsingContext(); context != null && !context.inRoot(); context = context.getParent()) {
      if (context.inObject() && context.getCurrentName() != null) {
        parts.add(0, "." + context.getCurrentName());
      } else if (context.inArray()) {
        parts.add(0, "[" + Math.max(0, context.getCurrentIndex()) + "]");
      }
    }
    String path = String.join("", parts);
    path = path.startsWith(".") ? path.substring(1) : path;
    return path.isEmpty() ? null : path;
  }

  /** ", got 512.5": the value as written, when Jackson kept it; its message holds it when the parser moved on. */
  private static String given(MismatchedInputException e) {
    if (e instanceof InvalidFormatException format && format.getValue() != null) {
      return ", got " + quoted(format.getValue());
    }
    String message = e.getOriginalMessage();
    if (message.contains("START_ARRAY")) {
      return ", got a list";
    }
    if (message.contains("START_OBJECT")) {
      return ", got a mapping";
    }
    Matcher value = COERCED_VALUE.matcher(message);
    if (value.find()) {
      return ", got " + (value.group(1).equals("String") ? quoted(value.group(2).replaceAll("^[\"']|[\"']$", ""))
          : value.group(2));
    }
    if (e.getProcessor() instanceof JsonParser parser && parser.currentToken() != null
        && parser.currentToken().isScalarValue()) {
      try {
        return ", got " + (parser.currentToken() == JsonToken.VALUE_STRING ? quoted(parser.getText()) : parser.getText());
      } catch (IOException ignored) {
        return "";
      }
    }
    return "";
  }

  private static String quoted(Object value) {
    String text = String.valueOf(value);
    if (text.length() > 40) {
      text = text.substring(0, 40) + "...";
    }
    return value instanceof String ? "\"" + text + "\"" : text;
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
