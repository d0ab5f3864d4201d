package dev.fc.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
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

  /**
   * The inline code's digest once its files were dropped (in the operator's cache only: never serialized, so never
   * written to the API nor part of the CRD's schema).
   */
  @JsonIgnore
  private InlineCodeDigest droppedInline;

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

  /** Whether the code is inline, with its files at hand or dropped from the cache. */
  public boolean hasInline() {
    return inline != null || droppedInline != null;
  }

  /** The inline code's digest, or null when the code is not inline. */
  public InlineCodeDigest inlineDigest() {
    return inline != null ? InlineCodeDigest.of(inline) : droppedInline;
  }

  /** Whether the inline files were dropped, leaving only their digest: they must be read from the API to be written. */
  public boolean inlineDropped() {
    return inline == null && droppedInline != null;
  }

  /** Replaces the inline files by their digest: what the operator's cache keeps. */
  public void dropInline() {
    if (inline != null) {
      droppedInline = InlineCodeDigest.of(inline);
      inline = null;
    }
  }

  /** Keeps {@code digest} as this code's dropped inline files (a copy of a cached object keeps what the cache kept). */
  public void keepDroppedInline(InlineCodeDigest digest) {
    this.droppedInline = digest;
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
        && Objects.equals(droppedInline, c.droppedInline)
        && Objects.equals(configMap, c.configMap)
        && Objects.equals(image, c.image);
  }

  @Override
  public int hashCode() {
    return Objects.hash(inline, droppedInline, configMap, image);
  }
}
