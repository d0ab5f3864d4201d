package dev.fc.operator.validation;

import dev.fc.operator.api.Code;
import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.api.FunctionInstanceSpec;
import dev.fc.operator.api.HandlerType;
import dev.fc.operator.api.Runtime;
import dev.fc.operator.api.InstanceLifecycleConfig;
import dev.fc.operator.api.LifecycleHook;
import dev.fc.operator.desired.FunctionEnvironment;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks a FunctionInstance the way the CRD schema does, plus the rules a schema without CEL cannot
 * express (one code source, inline size, memory a multiple of 64, reserved names, handler files
 * present in inline code). Each error names the field and what is allowed.
 */
public final class SpecValidator {
  private static final Pattern HANDLER = Pattern.compile(FunctionInstanceSpec.HANDLER_PATTERN);
  private static final Pattern DNS_1035_LABEL = Pattern.compile("^[a-z]([-a-z0-9]*[a-z0-9])?$");
  private static final Pattern DNS_1123_SUBDOMAIN = Pattern.compile("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$");
  private static final Pattern ENV_NAME = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*$");
  private static final Pattern FILE_SEGMENT = Pattern.compile("^[A-Za-z0-9_][A-Za-z0-9._-]*$");
  private static final int MAX_NAME_LENGTH = 63;

  private SpecValidator() {}

  public static List<FieldError> validate(FunctionInstance fi) {
    List<FieldError> errors = new ArrayList<>();
    String name = fi.getMetadata() == null ? null : fi.getMetadata().getName();
    if (name == null || name.isEmpty()) {
      errors.add(new FieldError("metadata.name", "is required"));
    } else if (name.length() > MAX_NAME_LENGTH || !DNS_1035_LABEL.matcher(name).matches()) {
      errors.add(new FieldError("metadata.name", "must be at most 63 lower-case letters, digits or '-', "
          + "start with a letter and end with a letter or digit (it names the Service), got \"" + name + "\""));
    }
    FunctionInstanceSpec spec = fi.getSpec();
    if (spec == null) {
      errors.add(new FieldError("spec", "is required"));
      return errors;
    }
    if (spec.getRuntime() != null && Arrays.stream(Runtime.values()).noneMatch(r -> r.fcName().equals(spec.getRuntime()))) {
      errors.add(new FieldError("spec.runtime", "unknown runtime \"" + spec.getRuntime() + "\"; allowed: "
          + Runtime.allowed()));
    }
    handler(errors, "spec.handler", spec.getHandler());
    if (spec.getHandlerType() != null
        && Arrays.stream(HandlerType.values()).noneMatch(t -> t.value().equals(spec.getHandlerType()))) {
      errors.add(new FieldError("spec.handlerType", "must be event or http, got \"" + spec.getHandlerType() + "\""));
    }
    code(errors, spec);
    if (spec.getMemorySize() != null) {
      int memory = spec.getMemorySize();
      if (memory < 128 || memory > 32768 || memory % 64 != 0) {
        errors.add(new FieldError("spec.memorySize",
            "must be a multiple of 64 from 128 to 32768 (MiB), got " + memory));
      }
    }
    if (spec.getCpu() != null && (spec.getCpu() < 0.05 || spec.getCpu() > 16)) {
      errors.add(new FieldError("spec.cpu", "must be from 0.05 to 16 (vCPUs), got " + spec.getCpu()));
    }
    range(errors, "spec.timeout", spec.getTimeout(), 1, 86400, "seconds");
    range(errors, "spec.instanceConcurrency", spec.getInstanceConcurrency(), 1, 200, "invocations");
    if (spec.getInstances() != null && spec.getInstances() < 0) {
      errors.add(new FieldError("spec.instances", "must be 0 or more, got " + spec.getInstances()));
    }
    environment(errors, spec);
    lifecycle(errors, spec.getInstanceLifecycleConfig());
    return errors;
  }

  private static void code(List<FieldError> errors, FunctionInstanceSpec spec) {
    Code code = spec.getCode();
    if (code == null) {
      errors.add(new FieldError("spec.code", "is required: set one of inline, configMap or image"));
      return;
    }
    int sources = (code.getInline() != null ? 1 : 0) + (code.getConfigMap() != null ? 1 : 0)
        + (code.getImage() != null ? 1 : 0);
    if (sources != 1) {
      errors.add(new FieldError("spec.code", "must set exactly one of inline, configMap or image, got " + sources));
      return;
    }
    if (code.getConfigMap() != null && !DNS_1123_SUBDOMAIN.matcher(code.getConfigMap()).matches()) {
      errors.add(new FieldError("spec.code.configMap", "must be a ConfigMap name (lower-case letters, digits, "
          + "'-' and '.'), got \"" + code.getConfigMap() + "\""));
    }
    if (code.getImage() != null && code.getImage().isBlank()) {
      errors.add(new FieldError("spec.code.image", "must name an image"));
    }
    if (code.getInline() != null) {
      inline(errors, code.getInline(), spec);
    }
  }

  private static void inline(List<FieldError> errors, Map<String, String> files, FunctionInstanceSpec spec) {
    if (files.isEmpty()) {
      errors.add(new FieldError("spec.code.inline", "must hold at least one file"));
      return;
    }
    long total = 0;
    for (Map.Entry<String, String> file : files.entrySet()) {
      if (!validFilePath(file.getKey())) {
        errors.add(new FieldError("spec.code.inline[" + file.getKey() + "]", "must be a relative file path of "
            + "letters, digits, '.', '_' and '-' with '/' between folders, and no '..'"));
      }
      total += file.getValue() == null ? 0 : file.getValue().getBytes(StandardCharsets.UTF_8).length;
    }
    if (total > Code.MAX_INLINE_BYTES) {
      errors.add(new FieldError("spec.code.inline", "holds " + total + " bytes, more than 1 MiB (1048576): "
          + "put the code in a ConfigMap (spec.code.configMap) or an image (spec.code.image)"));
    }
    handlerFile(errors, "spec.handler", spec.getHandler(), files);
    InstanceLifecycleConfig lifecycle = spec.getInstanceLifecycleConfig();
    if (lifecycle != null && lifecycle.getInitializer() != null) {
      handlerFile(errors, "spec.instanceLifecycleConfig.initializer.handler",
          lifecycle.getInitializer().getHandler(), files);
    }
    if (lifecycle != null && lifecycle.getPreStop() != null) {
      handlerFile(errors, "spec.instanceLifecycleConfig.preStop.handler", lifecycle.getPreStop().getHandler(), files);
    }
  }

  private static boolean validFilePath(String path) {
    if (path.isEmpty() || path.startsWith("/") || path.endsWith("/") || path.contains("..")) {
      return false;
    }
    for (String segment : path.split("/")) {
      if (!FILE_SEGMENT.matcher(segment).matches()) {
        return false;
      }
    }
    return true;
  }

  private static void handlerFile(List<FieldError> errors, String field, String handler, Map<String, String> files) {
    if (handler == null || !HANDLER.matcher(handler).matches()) {
      return;
    }
    String file = handler.substring(0, handler.indexOf('.')) + ".py";
    if (!files.containsKey(file)) {
      errors.add(new FieldError(field, "\"" + handler + "\" needs the file " + file + " in spec.code.inline, "
          + "which holds " + String.join(", ", files.keySet().stream().sorted().toList())));
    }
  }

  private static void environment(List<FieldError> errors, FunctionInstanceSpec spec) {
    if (spec.getEnvironmentVariables() != null) {
      spec.getEnvironmentVariables().keySet()
          .forEach(name -> envName(errors, "spec.environmentVariables[" + name + "]", name));
    }
    if (spec.getEnv() != null) {
      for (int i = 0; i < spec.getEnv().size(); i++) {
        EnvVar var = spec.getEnv().get(i);
        if (var == null || var.getName() == null) {
          errors.add(new FieldError("spec.env[" + i + "].name", "is required"));
        } else {
          envName(errors, "spec.env[" + i + "].name", var.getName());
        }
      }
    }
  }

  private static void envName(List<FieldError> errors, String field, String name) {
    if (!ENV_NAME.matcher(name).matches()) {
      errors.add(new FieldError(field, "must be letters, digits and '_', not starting with a digit, got \""
          + name + "\""));
    } else if (name.startsWith(FunctionEnvironment.RESERVED_PREFIX)) {
      errors.add(new FieldError(field, "\"" + name + "\" is reserved: names starting FC_ are set by the "
          + "runtime; choose another name"));
    }
  }

  private static void lifecycle(List<FieldError> errors, InstanceLifecycleConfig lifecycle) {
    if (lifecycle == null) {
      return;
    }
    hook(errors, "spec.instanceLifecycleConfig.initializer", lifecycle.getInitializer());
    hook(errors, "spec.instanceLifecycleConfig.preStop", lifecycle.getPreStop());
  }

  private static void hook(List<FieldError> errors, String field, LifecycleHook hook) {
    if (hook == null) {
      return;
    }
    handler(errors, field + ".handler", hook.getHandler());
    range(errors, field + ".timeout", hook.getTimeout(), 1, LifecycleHook.MAX_TIMEOUT_SECONDS, "seconds");
  }

  private static void handler(List<FieldError> errors, String field, String handler) {
    if (handler == null || handler.isEmpty()) {
      errors.add(new FieldError(field, "is required, as file.method (e.g. index.handler)"));
    } else if (!HANDLER.matcher(handler).matches()) {
      errors.add(new FieldError(field, "must be file.method (e.g. index.handler), got \"" + handler + "\""));
    }
  }

  private static void range(List<FieldError> errors, String field, Integer value, int min, int max, String unit) {
    if (value != null && (value < min || value > max)) {
      errors.add(new FieldError(field, "must be from " + min + " to " + max + " (" + unit + "), got " + value));
    }
  }
}
