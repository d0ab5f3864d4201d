package dev.fc.operator.validation;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import java.util.ArrayList;
import java.util.List;

/**
 * The API server's rules for one env entry's value, checked before it gets there: value and valueFrom
 * exclude each other, and valueFrom names exactly one source.
 */
final class EnvValueSource {
  private static final String SOURCES = "secretKeyRef, configMapKeyRef, fieldRef or resourceFieldRef";

  private EnvValueSource() {}

  static void check(List<FieldError> errors, String field, EnvVar var) {
    EnvVarSource from = var.getValueFrom();
    if (from == null) {
      return;
    }
    if (var.getValue() != null && !var.getValue().isEmpty()) {
      errors.add(new FieldError(field, "sets both value and valueFrom: set one"));
      return;
    }
    List<String> set = new ArrayList<>();
    if (from.getSecretKeyRef() != null) {
      set.add("secretKeyRef");
    }
    if (from.getConfigMapKeyRef() != null) {
      set.add("configMapKeyRef");
    }
    if (from.getFieldRef() != null) {
      set.add("fieldRef");
    }
    if (from.getResourceFieldRef() != null) {
      set.add("resourceFieldRef");
    }
    if (from.getFileKeyRef() != null) {
      set.add("fileKeyRef");
    }
    if (set.size() != 1) {
      errors.add(new FieldError(field + ".valueFrom", "must set exactly one of " + SOURCES + ", got "
          + (set.isEmpty() ? "none" : String.join(", ", set))));
    }
  }
}
