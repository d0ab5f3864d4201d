package dev.fc.operator.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.fc.operator.api.FunctionInstance;
import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import java.io.UncheckedIOException;
import java.util.regex.Pattern;

/**
 * Writes a FunctionInstance as the YAML a person would: apiVersion, kind, metadata, then the spec with
 * the code last, multi-line files as literal blocks, and text that looks like a number or boolean (to
 * YAML 1.1 or 1.2 readers) quoted.
 */
public final class FunctionInstanceYaml {
  private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .disable(YAMLGenerator.Feature.SPLIT_LINES)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
      .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
      .stringQuotingChecker(new Yaml11QuotingChecker())
      .build())
      .setSerializationInclusion(JsonInclude.Include.NON_NULL);

  private FunctionInstanceYaml() {}

  /**
   * Also quotes text that YAML 1.1 readers (kubectl's) take for a number: 0x1F, 1e3, 1_000, 12:30, .5,
   * .inf. Jackson's own check quotes only the YAML 1.2 forms.
   */
  private static final class Yaml11QuotingChecker extends StringQuotingChecker.Default {
    private static final Pattern NUMBER_LIKE =
        Pattern.compile("[-+]?(\\.?[0-9].*|\\.(inf|Inf|INF|nan|NaN|NAN))", Pattern.DOTALL);

    @Override
    public boolean needToQuoteName(String name) {
      return super.needToQuoteName(name) || NUMBER_LIKE.matcher(name).matches();
    }

    @Override
    public boolean needToQuoteValue(String value) {
      return super.needToQuoteValue(value) || NUMBER_LIKE.matcher(value).matches();
    }
  }

  /** One YAML document, without a leading {@code ---}, each line of {@code comment} as a # line first. */
  public static String write(FunctionInstance fi, String comment) {
    ObjectNode doc = YAML.createObjectNode();
    doc.put("apiVersion", FunctionInstance.API_VERSION);
    doc.put("kind", FunctionInstance.KIND);
    ObjectNode metadata = doc.putObject("metadata");
    metadata.put("name", fi.getMetadata().getName());
    if (fi.getMetadata().getNamespace() != null) {
      metadata.put("namespace", fi.getMetadata().getNamespace());
    }
    if (fi.getMetadata().getAnnotations() != null && !fi.getMetadata().getAnnotations().isEmpty()) {
      metadata.set("annotations", YAML.valueToTree(fi.getMetadata().getAnnotations()));
    }
    ObjectNode spec = YAML.valueToTree(fi.getSpec());
    JsonNode code = spec.remove("code");
    if (code != null) {
      spec.set("code", code);
    }
    doc.set("spec", spec);
    StringBuilder out = new StringBuilder();
    if (comment != null) {
      comment.lines().forEach(line -> out.append("# ").append(line).append('\n'));
    }
    try {
      return out.append(YAML.writeValueAsString(doc)).toString();
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
