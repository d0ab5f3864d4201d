package dev.fc.operator.convert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills in Serverless Devs expressions: {@code ${vars.x}} and {@code ${vars.a.b}} from the file's
 * {@code vars}, {@code ${env.X}} and {@code ${env('X')}} (or {@code ${env('X', 'default')}}) from the
 * environment. Any other expression, an unknown variable or an unset environment variable is left as
 * written, with a warning. A value that is exactly one {@code ${vars.x}} takes the variable's own
 * value, so a variable can hold a number, a mapping or a list.
 */
public final class VariableResolver {
  private static final Pattern EXPRESSION = Pattern.compile("\\$\\{([^}]*)}");
  private static final Pattern VARS = Pattern.compile("vars((?:\\.[^.\\s]+)+)");
  private static final Pattern ENV_DOT = Pattern.compile("env\\.([A-Za-z_][A-Za-z0-9_]*)");
  private static final Pattern ENV_CALL =
      Pattern.compile("env\\(\\s*(['\"])([^'\"]*)\\1\\s*(?:,\\s*(['\"])([^'\"]*)\\3\\s*)?\\)");
  /** Variables may use variables; this deep means a variable refers to itself. */
  private static final int MAX_DEPTH = 10;

  /** Receives one warning about the value at a path. */
  @FunctionalInterface
  public interface Warnings {
    void warn(PropPath path, String message);
  }

  private final JsonNode vars;
  private final Function<String, String> environment;

  /**
   * @param vars the file's {@code vars} (a missing node when it has none)
   * @param environment environment variable name to value, null when unset
   */
  public VariableResolver(JsonNode vars, Function<String, String> environment) {
    this.vars = vars;
    this.environment = environment;
  }

  /** A copy of {@code node} (found at {@code path}) with its expressions filled in. */
  public JsonNode resolve(JsonNode node, PropPath path, Warnings warnings) {
    return resolve(node, path, warnings, 0);
  }

  private JsonNode resolve(JsonNode node, PropPath path, Warnings warnings, int depth) {
    if (node.isObject()) {
      ObjectNode copy = JsonNodeFactory.instance.objectNode();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        copy.set(field.getKey(), resolve(field.getValue(), path.child(field.getKey()), warnings, depth));
      }
      return copy;
    }
    if (node.isArray()) {
      ArrayNode copy = JsonNodeFactory.instance.arrayNode();
      for (int i = 0; i < node.size(); i++) {
        copy.add(resolve(node.get(i), path.item(i), warnings, depth));
      }
      return copy;
    }
    if (!node.isTextual() || !node.textValue().contains("${")) {
      return node;
    }
    String text = node.textValue();
    Matcher whole = EXPRESSION.matcher(text);
    if (whole.matches()) {
      Matcher var = VARS.matcher(whole.group(1).strip());
      if (var.matches()) {
        JsonNode value = variable(var.group(1));
        if (!value.isMissingNode() && !value.isTextual()) {
          if (depth >= MAX_DEPTH) {
            warnings.warn(path, "uses " + text + ", which refers to itself; left as it is");
            return node;
          }
          return resolve(value, path, warnings, depth + 1);
        }
      }
    }
    StringBuilder out = new StringBuilder();
    Matcher m = EXPRESSION.matcher(text);
    while (m.find()) {
      String value = evaluate(m.group(1).strip(), m.group(), path, warnings, depth);
      m.appendReplacement(out, Matcher.quoteReplacement(value == null ? m.group() : value));
    }
    m.appendTail(out);
    return TextNode.valueOf(out.toString());
  }

  /** The expression's text, or null (after a warning) when it stays as written. */
  private String evaluate(String expression, String written, PropPath path, Warnings warnings, int depth) {
    Matcher var = VARS.matcher(expression);
    if (var.matches()) {
      String name = "vars" + var.group(1);
      JsonNode value = variable(var.group(1));
      if (value.isMissingNode()) {
        warnings.warn(path, "uses " + written + ", but " + name + " is not defined in vars; left as it is");
        return null;
      }
      if (value.isNull()) {
        return "";
      }
      if (!value.isTextual()) {
        warnings.warn(path, "uses " + written + " inside text, but " + name + " is a "
            + (value.isArray() ? "list" : "mapping") + "; left as it is");
        return null;
      }
      if (value.textValue().contains("${")) {
        if (depth >= MAX_DEPTH) {
          warnings.warn(path, "uses " + written + ", which refers to itself; left as it is");
          return null;
        }
        return resolve(value, path, warnings, depth + 1).asText();
      }
      return value.textValue();
    }
    Matcher envDot = ENV_DOT.matcher(expression);
    Matcher envCall = ENV_CALL.matcher(expression);
    String envName = envDot.matches() ? envDot.group(1) : envCall.matches() ? envCall.group(2) : null;
    if (envName != null) {
      String value = environment.apply(envName);
      if (value == null && envCall.matches() && envCall.group(4) != null) {
        value = envCall.group(4);
      }
      if (value == null) {
        warnings.warn(path, "uses " + written + ", but the environment variable " + envName
            + " is not set; left as it is");
      }
      return value;
    }
    warnings.warn(path, "uses " + written + ", which convert cannot fill in (it fills in ${vars.*}, ${env.*} "
        + "and ${env('*')}); left as it is");
    return null;
  }

  /** {@code vars.a.b} for the suffix {@code .a.b}, or a missing node. */
  private JsonNode variable(String dottedSuffix) {
    JsonNode node = vars;
    for (String segment : dottedSuffix.substring(1).split("\\.")) {
      node = node.path(segment);
    }
    return node;
  }
}
