package dev.fc.operator.convert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.fc.operator.validation.SpecValidator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills in Serverless Devs expressions: {@code ${vars.x}} and {@code ${vars.a.b}} from the file's
 * {@code vars}, {@code ${env.X}} and {@code ${env('X')}} (or {@code ${env('X', 'default')}}) from the
 * environment. Any other expression, an unknown variable or an unset environment variable is left as
 * written, with a warning. A value that is exactly one {@code ${vars.x}} takes the variable's own
 * value, so a variable can hold a number, a mapping or a list.
 *
 * <p>Variables may use variables. Each is filled in once, where it is written (its warnings name it),
 * and its result is reused. A loop ({@code a -> b -> a}), a chain deeper than {@link #MAX_DEPTH}, a value
 * longer than {@link #MAX_VALUE_CHARS} once filled in, and more than {@link #MAX_TOTAL_CHARS} filled in
 * for the whole file stop the conversion with a {@link VariableException} at the value that does it:
 * a few lines of vars can otherwise double a text at every level ("billion laughs").
 */
public final class VariableResolver {
  /** Variables using variables, this many deep at most. */
  public static final int MAX_DEPTH = 16;
  /** One value, once its variables are filled in, at most this long (64 Ki characters). */
  public static final int MAX_VALUE_CHARS = 64 * 1024;
  /** Everything filled in for one s.yaml at most this long (8 Mi characters, what the s.yaml may hold). */
  public static final int MAX_TOTAL_CHARS = 8 * 1024 * 1024;
  /** Names shown of a long chain of variables, the first and the last ones. */
  private static final int SHOWN_CHAIN = 6;

  private static final Pattern EXPRESSION = Pattern.compile("\\$\\{([^}]*)}");
  private static final Pattern VARS = Pattern.compile("vars((?:\\.[^.\\s]+)+)");
  private static final Pattern ENV_DOT = Pattern.compile("env\\.([A-Za-z_][A-Za-z0-9_]*)");
  private static final Pattern ENV_CALL =
      Pattern.compile("env\\(\\s*(['\"])([^'\"]*)\\1\\s*(?:,\\s*(['\"])([^'\"]*)\\3\\s*)?\\)");

  /** Receives one warning about the value at a path. */
  @FunctionalInterface
  public interface Warnings {
    void warn(PropPath path, String message);
  }

  private final JsonNode vars;
  private final Function<String, String> environment;
  /** Variables filled in so far, by path (vars.a.b). */
  private final Map<PropPath, JsonNode> filledIn = new HashMap<>();
  /** {@link #size} of each variable filled in. */
  private final Map<PropPath, Long> sizes = new HashMap<>();
  /** The variables being filled in, outermost first: a variable met again here is a loop. */
  private final List<PropPath> chain = new ArrayList<>();
  /** How many of the chain's links are uses (not a mapping holding a key): bounded by {@link #MAX_DEPTH}. */
  private int uses;
  private long total;

  /**
   * @param vars the file's {@code vars} (a missing node when it has none)
   * @param environment environment variable name to value, null when unset
   */
  public VariableResolver(JsonNode vars, Function<String, String> environment) {
    this.vars = vars;
    this.environment = environment;
  }

  /**
   * A copy of {@code node} (found at {@code path}) with its expressions filled in.
   *
   * @throws VariableException on a loop or an expansion beyond the bounds
   */
  public JsonNode resolve(JsonNode node, PropPath path, Warnings warnings) {
    if (node.isObject()) {
      ObjectNode copy = JsonNodeFactory.instance.objectNode();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        copy.set(field.getKey(), resolve(field.getValue(), path.child(field.getKey()), warnings));
      }
      return copy;
    }
    if (node.isArray()) {
      ArrayNode copy = JsonNodeFactory.instance.arrayNode();
      for (int i = 0; i < node.size(); i++) {
        copy.add(resolve(node.get(i), path.item(i), warnings));
      }
      return copy;
    }
    if (!node.isTextual() || !node.textValue().contains("${")) {
      return node;
    }
    return text(node.textValue(), path, warnings);
  }

  /** The text at {@code path} with its expressions filled in; one variable alone gives its own value. */
  private JsonNode text(String text, PropPath path, Warnings warnings) {
    Matcher whole = EXPRESSION.matcher(text);
    if (whole.matches()) {
      Matcher var = VARS.matcher(whole.group(1).strip());
      if (var.matches()) {
        PropPath name = variableName(var.group(1));
        JsonNode raw = written(name);
        if (raw.isContainerNode() || raw.isNull()) {
          // shared, not copied; but what it adds to the output counts, or a mapping used a thousand times
          // would make a thousand copies in the FunctionInstances written
          JsonNode value = variable(name, text, path, warnings);
          count(sizes.get(name), path);
          return value;
        }
      }
    }
    StringBuilder out = new StringBuilder();
    Set<String> warned = new HashSet<>();
    Matcher m = EXPRESSION.matcher(text);
    int end = 0;
    while (m.find()) {
      append(out, text.substring(end, m.start()), path);
      String value = evaluate(m.group(1).strip(), m.group(), path, warned.add(m.group()) ? warnings : (p, w) -> { });
      append(out, value == null ? m.group() : value, path);
      end = m.end();
    }
    append(out, text.substring(end), path);
    count(out.length(), path);
    return TextNode.valueOf(out.toString());
  }

  /** Adds {@code chars} filled in at {@code path} to the file's total, bounded by {@link #MAX_TOTAL_CHARS}. */
  private void count(long chars, PropPath path) {
    total += chars;
    if (total > MAX_TOTAL_CHARS) {
      throw new VariableException(path, "makes the values filled in from variables longer than " + MAX_TOTAL_CHARS
          + " characters in all (8 Mi, as much as an s.yaml may hold): a variable is used too often or grows "
          + "too large; use fewer, shorter variables");
    }
  }

  private void append(StringBuilder out, String piece, PropPath path) {
    if (out.length() + piece.length() > MAX_VALUE_CHARS) {
      throw new VariableException(path, "is longer than " + MAX_VALUE_CHARS + " characters once its variables are "
          + "filled in" + through() + "; a value may be at most " + MAX_VALUE_CHARS + " (64 Ki): does a variable "
          + "repeat another, level after level?");
    }
    out.append(piece);
  }

  /** The expression's text, or null (after a warning) when it stays as written. */
  private String evaluate(String expression, String written, PropPath path, Warnings warnings) {
    Matcher var = VARS.matcher(expression);
    if (var.matches()) {
      PropPath name = variableName(var.group(1));
      JsonNode raw = written(name);
      if (raw.isMissingNode()) {
        warnings.warn(path, "uses " + SpecValidator.shortened(written) + ", but " + shown(name)
            + " is not defined in vars; left as it is");
        return null;
      }
      if (raw.isNull()) {
        return "";
      }
      if (raw.isContainerNode()) {
        warnings.warn(path, "uses " + SpecValidator.shortened(written) + " inside text, but " + shown(name) + " is a "
            + (raw.isArray() ? "list" : "mapping") + "; left as it is");
        return null;
      }
      JsonNode value = variable(name, written, path, warnings);
      if (value.isContainerNode()) {
        // vars.a is "${vars.m}" and vars.m a mapping: a mapping cannot be part of a text either
        warnings.warn(path, "uses " + SpecValidator.shortened(written) + " inside text, but " + shown(name)
            + " is filled in with a " + (value.isArray() ? "list" : "mapping") + "; left as it is");
        return null;
      }
      return value.isNull() ? "" : value.asText();
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
        warnings.warn(path, "uses " + SpecValidator.shortened(written) + ", but the environment variable " + envName
            + " is not set; left as it is");
      }
      return value;
    }
    warnings.warn(path, "uses " + SpecValidator.shortened(written) + ", which convert cannot fill in (it fills in "
        + "${vars.*}, ${env.*} and ${env('*')}); left as it is");
    return null;
  }

  /**
   * The variable {@code name} filled in, once: its own expressions are filled in where they are written
   * (so their warnings name the variable). {@code written} uses it at {@code usedAt}; a null
   * {@code written} means the variable is filled in as part of the mapping that holds it.
   */
  private JsonNode variable(PropPath name, String written, PropPath usedAt, Warnings warnings) {
    JsonNode done = filledIn.get(name);
    if (done != null) {
      return done;
    }
    int loop = chain.indexOf(name);
    if (loop >= 0) {
      List<PropPath> cycle = new ArrayList<>(chain.subList(loop, chain.size()));
      cycle.add(name);
      throw new VariableException(usedAt, (written == null ? "" : "uses " + SpecValidator.shortened(written)
          + ", which ") + "loops: "
          + shown(cycle) + "; a variable cannot use itself, not even through other variables");
    }
    if (written != null && uses == MAX_DEPTH) {
      List<PropPath> deep = new ArrayList<>(chain);
      deep.add(name);
      throw new VariableException(usedAt, "uses " + SpecValidator.shortened(written) + ", a variable "
          + (MAX_DEPTH + 1) + " levels deep ("
          + shown(deep) + "); variables may use variables at most " + MAX_DEPTH + " deep");
    }
    int usesBefore = uses;
    if (written != null) {
      uses++;
    }
    chain.add(name);
    JsonNode value = fill(written(name), name, warnings);
    chain.remove(chain.size() - 1);
    uses = usesBefore;
    filledIn.put(name, value);
    sizes.put(name, size(value));
    return value;
  }

  /** The characters {@code node} adds to the output: its texts and keys, and one for each node. */
  private static long size(JsonNode node) {
    long size = 1;
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        size += field.getKey().length() + size(field.getValue());
      }
    } else if (node.isArray()) {
      for (JsonNode item : node) {
        size += size(item);
      }
    } else if (!node.isNull()) {
      size += node.asText().length();
    }
    return size;
  }

  /** A variable's value, written at {@code path} inside vars, filled in; mappings key by key, as variables. */
  private JsonNode fill(JsonNode raw, PropPath path, Warnings warnings) {
    if (raw.isObject()) {
      ObjectNode copy = JsonNodeFactory.instance.objectNode();
      for (Iterator<String> it = raw.fieldNames(); it.hasNext(); ) {
        PropPath child = path.child(it.next());
        copy.set(child.last(), variable(child, null, child, warnings));
      }
      return copy;
    }
    return resolve(raw, path, warnings);
  }

  /** " (filling in vars.a -> vars.b)" while variables are being filled in, else "". */
  private String through() {
    return chain.isEmpty() ? "" : " (filling in " + shown(chain) + ")";
  }

  /** {@code vars.a -> vars.b -> vars.a}, or the first and last names of a long chain. */
  private static String shown(List<PropPath> names) {
    List<String> shown = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      if (names.size() > SHOWN_CHAIN && i == SHOWN_CHAIN / 2) {
        shown.add("... (" + (names.size() - SHOWN_CHAIN) + " more)");
        i = names.size() - SHOWN_CHAIN / 2 - 1;
        continue;
      }
      shown.add(SpecValidator.shortened(names.get(i).toString()));
    }
    return String.join(" -> ", shown);
  }

  private static String shown(PropPath name) {
    return SpecValidator.shortened(name.toString());
  }

  /** {@code vars.a.b} for the suffix {@code .a.b}. */
  private static PropPath variableName(String dottedSuffix) {
    List<String> segments = new ArrayList<>();
    segments.add("vars");
    segments.addAll(List.of(dottedSuffix.substring(1).split("\\.")));
    return new PropPath(segments);
  }

  /** The variable as written in vars, or a missing node. */
  private JsonNode written(PropPath name) {
    JsonNode node = vars;
    for (String segment : name.segments().subList(1, name.segments().size())) {
      node = node.path(segment);
    }
    return node;
  }
}
