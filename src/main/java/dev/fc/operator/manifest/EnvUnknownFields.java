package dev.fc.operator.manifest;

import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.validation.FieldError;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * fabric8's EnvVar and its sources keep unknown fields aside instead of failing (Jackson's
 * FAIL_ON_UNKNOWN_PROPERTIES does not reach them), so {@code valu: x} would be dropped without a
 * word. In a file that is a typo to report; in the cluster the API server prunes them.
 */
final class EnvUnknownFields {
  private EnvUnknownFields() {}

  static List<FieldError> of(FunctionInstance fi) {
    List<FieldError> errors = new ArrayList<>();
    if (fi.getSpec() == null || fi.getSpec().getEnv() == null) {
      return errors;
    }
    List<EnvVar> env = fi.getSpec().getEnv();
    for (int i = 0; i < env.size(); i++) {
      EnvVar var = env.get(i);
      if (var == null) {
        continue;
      }
      String field = "spec.env[" + i + "]";
      unknown(errors, field, var.getAdditionalProperties(), "name, value, valueFrom");
      EnvVarSource from = var.getValueFrom();
      if (from != null) {
        unknown(errors, field + ".valueFrom", from.getAdditionalProperties(),
            "configMapKeyRef, fieldRef, resourceFieldRef, secretKeyRef");
        ref(errors, field + ".valueFrom.secretKeyRef", from.getSecretKeyRef(), "key, name, optional");
        ref(errors, field + ".valueFrom.configMapKeyRef", from.getConfigMapKeyRef(), "key, name, optional");
        ref(errors, field + ".valueFrom.fieldRef", from.getFieldRef(), "apiVersion, fieldPath");
        ref(errors, field + ".valueFrom.resourceFieldRef", from.getResourceFieldRef(),
            "containerName, divisor, resource");
      }
    }
    return errors;
  }

  private static void ref(List<FieldError> errors, String field, KubernetesResource ref, String known) {
    if (ref == null) {
      return;
    }
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> extra = (Map<String, Object>) ref.getClass().getMethod("getAdditionalProperties")
          .invoke(ref);
      unknown(errors, field, extra, known);
    } catch (ReflectiveOperationException e) {
      // every fabric8 model class has getAdditionalProperties; nothing to check otherwise
    }
  }

  private static void unknown(List<FieldError> errors, String field, Map<String, Object> extra, String known) {
    if (extra != null && !extra.isEmpty()) {
      errors.add(new FieldError(field, "unknown field \"" + extra.keySet().stream().sorted().findFirst().orElseThrow()
          + "\"; known: " + known));
    }
  }
}
