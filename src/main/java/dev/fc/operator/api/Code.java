package dev.fc.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import java.util.Map;
import java.util.Objects;

/** Where the function's code comes from: exactly one of inline, configMap or image. */
public class Code {
  public static final int MAX_INLINE_BYTES = 1024 * 1024;

  @JsonPropertyDescription("File name (folders allowed, e.g. python/lib.py) to content; 1 MiB in total at most.")
  private Map<String, String> inline;

  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  @JsonPropertyDescription("Name of an existing ConfigMap in the same namespace whose keys are the files.")
  private String configMap;

  @JsonPropertyDescription("An image whose /code folder an init container copies into the pod (needs sh and cp).")
  private String image;

  public Code() {}

  public static Code inline(Map<String, String> files) {
    Code code = new Code();
    code.setInline(files);
    return code;
  }

  public Map<String, String> getInline() {
    return inline;
  }

  public void setInline(Map<String, String> inline) {
    this.inline = inline;
  }

  public String getConfigMap() {
    return configMap;
  }

  public void setConfigMap(String configMap) {
    this.configMap = configMap;
  }

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Code c
        && Objects.equals(inline, c.inline)
        && Objects.equals(configMap, c.configMap)
        && Objects.equals(image, c.image);
  }

  @Override
  public int hashCode() {
    return Objects.hash(inline, configMap, image);
  }
}
