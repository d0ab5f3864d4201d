package dev.fc.operator.validation;

import dev.fc.operator.api.Code;
import dev.fc.operator.api.InlineCodeDigest;
import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.api.FunctionInstanceSpec;
import dev.fc.operator.api.SpecDefaults;
import dev.fc.operator.api.HandlerType;
import dev.fc.operator.api.FcRuntime;
import dev.fc.operator.api.InstanceLifecycleConfig;
import dev.fc.operator.api.LifecycleHook;
import dev.fc.operator.contract.RuntimeEnv;
import dev.fc.operator.desired.ConfigMapFactory;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Checks a FunctionInstance the way the CRD schema does, plus the rules a schema without CEL cannot
 * express (one code source, inline size, memory a multiple of 64, reserved names, handler files
 * present in inline code). Each error names the field and what is allowed.
 */
public final class SpecValidator {
  private static final Pattern HANDLER = Pattern.compile(FunctionInstanceSpec.HANDLER_PATTERN);
  private static final Pattern DNS_1035_LABEL = Pattern.compile("^[a-z]([-a-z0-9]*[a-z0-9])?$");
  static final Pattern DNS_1123_SUBDOMAIN = Pattern.compile("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$");
  private static final Pattern ENV_NAME = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*$");
  private static final Pattern FILE_SEGMENT = Pattern.compile("^[A-Za-z0-9_][A-Za-z0-9._-]*$");
  private static final Pattern DNS_1123_LABEL = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");
  private static final int MAX_NAME_LENGTH = 63;
  /** A ConfigMap key is at most 253 characters; folders add one character each ('/' becomes '..'). */
  public static final int MAX_CONFIG_MAP_KEY = 253;
  public static final int MAX_FOLDER_DEPTH = 16;
  /** Each file is a volume item in every pod: bounded so that a pod stays small. */
  public static final int MAX_INLINE_FILES = 1000;
  /** Every pod carries the environment; FC itself allows 4 KB, this leaves room for Secrets' references. */
  public static final int MAX_ENVIRONMENT_BYTES = 32 * 1024;

  private SpecValidator() {}

  public static List<FieldError> validate(FunctionInstance fi) {
    List<FieldError> errors = new ArrayList<>();
    String name = fi.getMetadata() == null ? null : fi.getMetadata().getName();
    if (name == null || name.isEmpty()) {
      errors.add(new FieldError("metadata.name", "is required"));
    } else if (name.length() > MAX_NAME_LENGTH || !DNS_1035_LABEL.matcher(name).matches()) {
      errors.add(new FieldError("metadata.name", "must be at most 63 lower-case letters, digits or '-', "
          + "start with a letter and end with a letter or digit (it names the Service), got " + shown(name)));
    }
    String namespace = fi.getMetadata() == null ? null : fi.getMetadata().getNamespace();
    if (namespace != null && (namespace.length() > MAX_NAME_LENGTH || !DNS_1123_LABEL.matcher(namespace).matches())) {
      errors.add(new FieldError("metadata.namespace", "must be at most 63 lower-case letters, digits or '-', "
          + "starting and ending with a letter or digit, got " + shown(namespace)));
    }
    if (fi.getMetadata() != null) {
      MetadataSyntax.labels(errors, fi.getMetadata().getLabels());
      MetadataSyntax.annotations(errors, fi.getMetadata().getAnnotations());
    }
    FunctionInstanceSpec spec = fi.getSpec();
    if (spec == null) {
      errors.add(new FieldError("spec", "is required"));
      return errors;
    }
    if (spec.getRuntime() != null && Arrays.stream(FcRuntime.values()).noneMatch(r -> r.fcName().equals(spec.getRuntime()))) {
      errors.add(new FieldError("spec.runtime", "unknown runtime " + shown(spec.getRuntime()) + "; allowed: "
          + FcRuntime.allowed()));
    }
    handler(errors, "spec.handler", spec.getHandler());
    if (spec.getHandlerType() != null
        && Arrays.stream(HandlerType.values()).noneMatch(t -> t.value().equals(spec.getHandlerType()))) {
      errors.add(new FieldError("spec.handlerType", "must be event or http, got " + shown(spec.getHandlerType())));
    }
    FcRuntime runtime = knownRuntime(spec.getRuntime());
    if (runtime.loadsHandler()) {
      code(errors, spec);
    }
    CustomRuntimes.check(errors, spec, runtime);
    if (runtime == FcRuntime.CUSTOM_DEBIAN12) {
      code(errors, spec);
    }
    if (spec.getMemorySize() != null) {
      int memory = spec.getMemorySize();
      if (memory < 128 || memory > 32768 || memory % 64 != 0) {
        errors.add(new FieldError("spec.memorySize",
            "must be a multiple of 64 from 128 to 32768 (MiB), got " + memory));
      }
    }
    if (spec.getCpu() != null && (!Double.isFinite(spec.getCpu()) || spec.getCpu() < 0.05 || spec.getCpu() > 16)) {
      errors.add(new FieldError("spec.cpu", "must be from 0.05 to 16 (vCPUs), got " + spec.getCpu()));
    }
    range(errors, "spec.timeout", spec.getTimeout(), 1, 86400, "seconds");
    range(errors, "spec.instanceConcurrency", spec.getInstanceConcurrency(), 1, 200, "invocations");
    range(errors, "spec.instances", spec.getInstances(), 0, FunctionInstanceSpec.MAX_INSTANCES, "pods");
    elastic(errors, spec);
    environment(errors, spec);
    lifecycle(errors, spec.getInstanceLifecycleConfig());
    return errors;
  }

  /** The spec's runtime when it is one, else the default (its error is reported on its own). */
  private static FcRuntime knownRuntime(String name) {
    return Arrays.stream(FcRuntime.values()).filter(r -> r.fcName().equals(name)).findFirst().orElse(FcRuntime.DEFAULT);
  }

  private static void elastic(List<FieldError> errors, FunctionInstanceSpec spec) {
    range(errors, "spec.minInstances", spec.getMinInstances(), 0, FunctionInstanceSpec.MAX_INSTANCES, "pods");
    range(errors, "spec.maxInstances", spec.getMaxInstances(), 1, FunctionInstanceSpec.MAX_INSTANCES, "pods");
    range(errors, "spec.idleTimeout", spec.getIdleTimeout(), 1, 86400, "seconds");
    Integer min = spec.getMinInstances();
    Integer max = spec.getMaxInstances();
    if (min != null && max != null && min > max && max >= 1) {
      errors.add(new FieldError("spec.minInstances", "must not exceed spec.maxInstances (" + max + "), got " + min
          + ": lower minInstances or raise maxInstances"));
    } else if (min != null && max == null && min > SpecDefaults.ELASTIC_MAX_INSTANCES) {
      errors.add(new FieldError("spec.minInstances", "must not exceed spec.maxInstances (default "
          + SpecDefaults.ELASTIC_MAX_INSTANCES + "), got " + min + ": set maxInstances too"));
    }
  }

  private static void code(List<FieldError> errors, FunctionInstanceSpec spec) {
    Code code = spec.getCode();
    if (code == null) {
      errors.add(new FieldError("spec.code", "is required: set one of inline, configMap or image"));
      return;
    }
    int sources = (code.hasInline() ? 1 : 0) + (code.getConfigMap() != null ? 1 : 0)
        + (code.getImage() != null ? 1 : 0);
    if (sources != 1) {
      errors.add(new FieldError("spec.code", "must set exactly one of inline, configMap or image, got " + sources));
      return;
    }
    if (code.getConfigMap() != null && !DNS_1123_SUBDOMAIN.matcher(code.getConfigMap()).matches()) {
      errors.add(new FieldError("spec.code.configMap", "must be a ConfigMap name (lower-case letters, digits, "
          + "'-' and '.'), got " + shown(code.getConfigMap())));
    }
    if (code.getImage() != null && code.getImage().isBlank()) {
      errors.add(new FieldError("spec.code.image", "must name an image"));
    }
    if (code.hasInline()) {
      inline(errors, code.inlineDigest(), spec);
    }
  }

  /** Reads the digest alone, so that it judges the operator's cache (which holds no code) as it judges a file. */
  private static void inline(List<FieldError> errors, InlineCodeDigest files, FunctionInstanceSpec spec) {
    if (files.paths().isEmpty()) {
      errors.add(new FieldError("spec.code.inline", "must hold at least one file"));
      return;
    }
    if (files.paths().size() > MAX_INLINE_FILES) {
      errors.add(new FieldError("spec.code.inline", "holds " + files.paths().size() + " files, more than "
          + MAX_INLINE_FILES + ": put the code in a ConfigMap (spec.code.configMap) or an image (spec.code.image)"));
      return;
    }
    for (String path : files.paths()) {
      String field = "spec.code.inline[" + shortened(path) + "]";
      inlinePathProblem(path).ifPresent(problem -> errors.add(new FieldError(field, problem)));
      if (files.pathsWithoutContent().contains(path)) {
        errors.add(new FieldError(field, "has no content: write " + shortened(path) + ": \"\" for an empty file"));
      }
    }
    if (files.bytes() > Code.MAX_INLINE_BYTES) {
      errors.add(new FieldError("spec.code.inline", "holds " + files.bytes() + " bytes, more than 1 MiB (1048576): "
          + "put the code in a ConfigMap (spec.code.configMap) or an image (spec.code.image)"));
    }
    FcRuntime runtime = knownRuntime(spec.getRuntime());
    if (!runtime.loadsHandler()) {
      return; // a custom runtime's handler names are passed to the user's server, not loaded from files
    }
    handlerFile(errors, "spec.handler", spec.getHandler(), files, runtime);
    InstanceLifecycleConfig lifecycle = spec.getInstanceLifecycleConfig();
    if (lifecycle != null && lifecycle.getInitializer() != null) {
      handlerFile(errors, "spec.instanceLifecycleConfig.initializer.handler",
          lifecycle.getInitializer().getHandler(), files, runtime);
    }
    if (lifecycle != null && lifecycle.getPreStop() != null) {
      handlerFile(errors, "spec.instanceLifecycleConfig.preStop.handler", lifecycle.getPreStop().getHandler(), files,
          runtime);
    }
  }

  /**
   * Why {@code path} cannot be a key of inline code, completing "PATH ...", or empty when it can: render
   * checks the keys it is given, convert the files it finds, with the same words.
   */
  public static Optional<String> inlinePathProblem(String path) {
    if (!validFilePath(path)) {
      return Optional.of("is not a file path inline code can hold: letters, digits, '.', '_' and '-', not "
          + "starting with '.' or '-', with '/' between folders and no '..'");
    }
    int folders = path.split("/").length - 1;
    if (folders > MAX_FOLDER_DEPTH) {
      return Optional.of("lies " + folders + " folders deep; at most " + MAX_FOLDER_DEPTH + " are allowed");
    }
    if (ConfigMapFactory.keyFor(path).length() > MAX_CONFIG_MAP_KEY) {
      return Optional.of("is " + path.length() + " characters long; a path may hold at most " + MAX_CONFIG_MAP_KEY
          + " characters, counting one more per folder (it becomes a ConfigMap key, with '/' stored as '..')");
    }
    return Optional.empty();
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

  private static void handlerFile(List<FieldError> errors, String field, String handler, InlineCodeDigest files,
      FcRuntime runtime) {
    if (handler == null || !HANDLER.matcher(handler).matches()) {
      return;
    }
    List<String> candidates = runtime.handlerFiles(handler.substring(0, handler.indexOf('.')));
    if (candidates.stream().noneMatch(files::holds)) {
      errors.add(new FieldError(field, shown(handler) + " needs the file " + String.join(" or ", candidates)
          + " in spec.code.inline, which holds " + someOf(files.paths())));
    }
  }

  private static void environment(List<FieldError> errors, FunctionInstanceSpec spec) {
    // Where each name was first set, so that a second setting names both places.
    Map<String, String> setAt = new HashMap<>();
    long bytes = 0;
    if (spec.getEnvironmentVariables() != null) {
      for (Map.Entry<String, String> variable : new TreeMap<>(spec.getEnvironmentVariables()).entrySet()) {
        String field = "spec.environmentVariables[" + shortened(variable.getKey()) + "]";
        envName(errors, field, variable.getKey());
        setAt.put(variable.getKey(), field);
        if (variable.getValue() == null) {
          errors.add(new FieldError(field, "has no value: write " + shortened(variable.getKey())
              + ": \"\" for an empty one"));
        } else {
          bytes += variable.getKey().length() + variable.getValue().length();
        }
      }
    }
    if (spec.getEnv() != null) {
      for (int i = 0; i < spec.getEnv().size(); i++) {
        EnvVar var = spec.getEnv().get(i);
        String field = "spec.env[" + i + "]";
        if (var == null || var.getName() == null) {
          errors.add(new FieldError(field + ".name", "is required"));
          continue;
        }
        envName(errors, field + ".name", var.getName());
        String earlier = setAt.putIfAbsent(var.getName(), field);
        if (earlier != null) {
          errors.add(new FieldError(field + ".name", "\"" + shortened(var.getName()) + "\" is set twice: in "
              + earlier + " and in " + field + "; set each name once"));
        }
        EnvValueSource.check(errors, field, var);
        bytes += var.getName().length() + (var.getValue() == null ? 0 : var.getValue().length());
      }
    }
    if (bytes > MAX_ENVIRONMENT_BYTES) {
      errors.add(new FieldError("spec.environmentVariables", "names and values of spec.environmentVariables and "
          + "spec.env hold " + bytes + " characters, more than " + MAX_ENVIRONMENT_BYTES + " (every pod carries "
          + "them): put large values in a ConfigMap or Secret and reference it with valueFrom"));
    }
  }

  /** The value as written, in quotes, cut at 60 characters: one line must stay short. */
  public static String shown(String value) {
    return "\"" + shortened(value) + "\"";
  }

  /** "a.py, b.py and 998 more": a message names a few files, not a thousand. */
  private static String someOf(java.util.Collection<String> names) {
    List<String> sorted = names.stream().sorted().toList();
    String few = String.join(", ", sorted.stream().limit(5).map(SpecValidator::shortened).toList());
    return sorted.size() <= 5 ? few : few + " and " + (sorted.size() - 5) + " more";
  }

  /** The value cut at 60 characters, saying how long it was: one line must stay short. */
  public static String shortened(String value) {
    return value.length() <= 60 ? value : value.substring(0, 60) + "...(" + value.length() + " characters)";
  }

  private static void envName(List<FieldError> errors, String field, String name) {
    if (!ENV_NAME.matcher(name).matches()) {
      errors.add(new FieldError(field, "must be letters, digits and '_', not starting with a digit, got "
          + shown(name)));
    } else if (name.startsWith(RuntimeEnv.RESERVED_PREFIX)) {
      errors.add(new FieldError(field, shown(name) + " is reserved: names starting FC_ are set by the "
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
      errors.add(new FieldError(field, "must be file.method (e.g. index.handler), got " + shown(handler)));
    }
  }

  private static void range(List<FieldError> errors, String field, Integer value, int min, int max, String unit) {
    if (value != null && (value < min || value > max)) {
      errors.add(new FieldError(field, "must be from " + min + " to " + max + " (" + unit + "), got " + value));
    }
  }
}
