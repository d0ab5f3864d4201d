package dev.fc.operator.validation;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceFieldSelector;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The API server's rules for one env entry's value, checked before it gets there: value and valueFrom
 * exclude each other, valueFrom names exactly one source, and that source is complete (a Secret or
 * ConfigMap name and key, a downward-API field path, a container resource and a valid divisor).
 */
final class EnvValueSource {
  private static final String SOURCES = "secretKeyRef, configMapKeyRef, fieldRef or resourceFieldRef";
  private static final Pattern CONFIG_MAP_KEY = Pattern.compile("^[-._a-zA-Z0-9]+$");
  /** The pod fields the downward API offers to environment variables. */
  private static final List<String> FIELD_PATHS = List.of("metadata.name", "metadata.namespace", "metadata.uid",
      "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP",
      "status.podIPs");
  private static final Pattern LABEL_OR_ANNOTATION = Pattern.compile("^metadata\\.(labels|annotations)\\['[^']+'\\]$");
  private static final List<String> RESOURCES = List.of("limits.cpu", "limits.memory", "limits.ephemeral-storage",
      "requests.cpu", "requests.memory", "requests.ephemeral-storage");

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
      return;
    }
    String at = field + ".valueFrom.";
    if (from.getSecretKeyRef() != null) {
      keyRef(errors, at + "secretKeyRef", "Secret", from.getSecretKeyRef().getName(), from.getSecretKeyRef().getKey());
    }
    if (from.getConfigMapKeyRef() != null) {
      keyRef(errors, at + "configMapKeyRef", "ConfigMap", from.getConfigMapKeyRef().getName(),
          from.getConfigMapKeyRef().getKey());
    }
    if (from.getFieldRef() != null) {
      fieldRef(errors, at + "fieldRef.fieldPath", from.getFieldRef().getFieldPath());
    }
    if (from.getResourceFieldRef() != null) {
      resourceFieldRef(errors, at + "resourceFieldRef", from.getResourceFieldRef());
    }
  }

  private static void keyRef(List<FieldError> errors, String field, String kind, String name, String key) {
    if (name == null || name.isEmpty()) {
      errors.add(new FieldError(field + ".name", "is required: the " + kind + "'s name"));
    } else if (name.length() > 253 || !SpecValidator.DNS_1123_SUBDOMAIN.matcher(name).matches()) {
      errors.add(new FieldError(field + ".name", "must be a " + kind + " name (lower-case letters, digits, '-' "
          + "and '.'), got " + SpecValidator.shown(name)));
    }
    if (key == null || key.isEmpty()) {
      errors.add(new FieldError(field + ".key", "is required: the key in the " + kind));
    } else if (key.length() > 253 || !CONFIG_MAP_KEY.matcher(key).matches()) {
      errors.add(new FieldError(field + ".key", "must be at most 253 letters, digits, '-', '_' and '.', got "
          + SpecValidator.shown(key)));
    }
  }

  private static void fieldRef(List<FieldError> errors, String field, String path) {
    if (path == null || path.isEmpty()) {
      errors.add(new FieldError(field, "is required, e.g. metadata.name"));
    } else if (!FIELD_PATHS.contains(path) && !LABEL_OR_ANNOTATION.matcher(path).matches()) {
      errors.add(new FieldError(field, "must be one of " + String.join(", ", FIELD_PATHS)
          + ", metadata.labels['KEY'] or metadata.annotations['KEY'], got " + SpecValidator.shown(path)));
    }
  }

  private static void resourceFieldRef(List<FieldError> errors, String field, ResourceFieldSelector ref) {
    if (ref.getResource() == null || !RESOURCES.contains(ref.getResource())) {
      errors.add(new FieldError(field + ".resource", "must be one of " + String.join(", ", RESOURCES) + ", got "
          + (ref.getResource() == null ? "none" : SpecValidator.shown(ref.getResource()))));
    }
    if (ref.getDivisor() != null) {
      try {
        Quantity.getAmountInBytes(ref.getDivisor());
      } catch (RuntimeException e) {
        errors.add(new FieldError(field + ".divisor", "must be a quantity such as 1, 1m or 1Mi, got "
            + SpecValidator.shown(String.valueOf(ref.getDivisor()))));
      }
    }
  }
}
