package dev.fc.operator.validation;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Label and annotation syntax as the API server checks it (apimachinery's {@code ValidateLabels},
 * {@code ValidateAnnotations}), so that a file {@code render} accepts is one the API server accepts. In the
 * cluster the API server has checked them already: this only speaks first, and the same way. Pure.
 */
final class MetadataSyntax {
  /** A qualified name's name part, and a label value: at most 63 characters. */
  private static final Pattern NAME_PART = Pattern.compile("^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$");
  private static final int MAX_NAME_PART = 63;
  private static final int MAX_PREFIX = 253;
  /** The API server's limit on all annotations of one object together: keys and values, in bytes. */
  static final int MAX_ANNOTATIONS_BYTES = 256 * 1024;
  private static final String KEY_RULE = "a key is an optional DNS subdomain prefix and '/', then at most 63 "
      + "letters, digits, '-', '_' or '.', starting and ending with a letter or digit";

  private MetadataSyntax() {}

  static void labels(List<FieldError> errors, Map<String, String> labels) {
    if (labels == null) {
      return;
    }
    labels.forEach((key, value) -> {
      String field = "metadata.labels[" + SpecValidator.shown(key) + "]";
      if (!qualifiedName(key)) {
        errors.add(new FieldError(field, KEY_RULE + ", got " + SpecValidator.shown(key)));
      }
      if (value != null && !value.isEmpty() && (value.length() > MAX_NAME_PART || !NAME_PART.matcher(value).matches())) {
        errors.add(new FieldError(field, "a label value is empty or at most 63 letters, digits, '-', '_' or '.', "
            + "starting and ending with a letter or digit, got " + SpecValidator.shown(value)));
      }
    });
  }

  static void annotations(List<FieldError> errors, Map<String, String> annotations) {
    if (annotations == null) {
      return;
    }
    long bytes = 0;
    for (Map.Entry<String, String> annotation : annotations.entrySet()) {
      String key = annotation.getKey();
      if (!qualifiedName(key)) {
        errors.add(new FieldError("metadata.annotations[" + SpecValidator.shown(key) + "]",
            KEY_RULE + ", got " + SpecValidator.shown(key)));
      }
      bytes += key.getBytes(StandardCharsets.UTF_8).length;
      bytes += annotation.getValue() == null ? 0 : annotation.getValue().getBytes(StandardCharsets.UTF_8).length;
    }
    if (bytes > MAX_ANNOTATIONS_BYTES) {
      errors.add(new FieldError("metadata.annotations", "must total at most 256 KiB (keys and values), got "
          + bytes + " bytes; keep large data in a ConfigMap"));
    }
  }

  /** A label or annotation key: {@code [prefix/]name}. */
  static boolean qualifiedName(String key) {
    if (key == null) {
      return false;
    }
    int slash = key.indexOf('/');
    String name = slash < 0 ? key : key.substring(slash + 1);
    if (slash >= 0) {
      String prefix = key.substring(0, slash);
      if (prefix.isEmpty() || prefix.length() > MAX_PREFIX || !SpecValidator.DNS_1123_SUBDOMAIN.matcher(prefix).matches()) {
        return false;
      }
    }
    return !name.isEmpty() && name.length() <= MAX_NAME_PART && NAME_PART.matcher(name).matches();
  }
}
