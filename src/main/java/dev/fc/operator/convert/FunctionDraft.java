package dev.fc.operator.convert;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fc.operator.api.Code;
import dev.fc.operator.api.CustomContainerConfig;
import dev.fc.operator.api.CustomRuntimeConfig;
import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.api.FunctionInstanceSpec;
import dev.fc.operator.api.InstanceLifecycleConfig;
import dev.fc.operator.api.LifecycleHook;
import dev.fc.operator.api.FcRuntime;
import dev.fc.operator.validation.FieldError;
import dev.fc.operator.validation.SpecValidator;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One FunctionInstance being filled from s.yaml props, with the mapping rules fc3 and fc2 share. It
 * remembers which s.yaml path each spec field came from, so that {@link #finish()} can place the
 * validator's errors on the s.yaml's lines.
 */
final class FunctionDraft {
  /** The annotation that keeps FC's {@code description}. */
  static final String DESCRIPTION_ANNOTATION = "fc.dev/description";
  private static final Pattern FIELD_SEGMENT = Pattern.compile("\\.([^.\\[]+)|\\[([^]]*)]");

  private final ConversionContext context;
  private final PropPath origin;
  private final int errorsBefore;
  private final FunctionInstanceSpec spec = new FunctionInstanceSpec();
  private final Map<String, String> annotations = new LinkedHashMap<>();
  /** FunctionInstance field (e.g. spec.memorySize) to the s.yaml path it came from. */
  private final Map<String, PropPath> sources = new LinkedHashMap<>();
  private String name;
  private PropPath namePath;
  private LifecycleHook initializer;
  private LifecycleHook preStop;

  /** @param origin the resource or service, e.g. {@code resources.hello_world} */
  FunctionDraft(ConversionContext context, PropPath origin) {
    this.context = context;
    this.origin = origin;
    this.errorsBefore = context.diagnostics().errorCount();
  }

  /** metadata.name from {@code key}, made a valid name with a warning; the resource's name when absent. */
  void name(MappingReader props, String key, String resourceName) {
    namePath = props.path(key);
    sources.put("metadata.name", namePath);
    Optional<String> written = props.text(key).filter(text -> !text.isBlank());
    if (written.isEmpty()) {
      String fromResource = FunctionNames.toValid(resourceName);
      if (fromResource == null) {
        error(namePath, "is required: the resource's name " + SpecValidator.shown(resourceName)
            + " cannot become a FunctionInstance name");
      } else {
        name = fromResource;
        warn(namePath, "is not set; the FunctionInstance is named " + SpecValidator.shown(name)
            + " after the resource");
      }
      return;
    }
    String fcName = written.get();
    if (FunctionNames.isValid(fcName)) {
      name = fcName;
      return;
    }
    name = FunctionNames.toValid(fcName);
    if (name == null) {
      error(namePath, SpecValidator.shown(fcName) + " cannot become a FunctionInstance name: use lower-case "
          + "letters, digits and '-'");
    } else {
      warn(namePath, SpecValidator.shown(fcName) + " is not a valid FunctionInstance name (lower-case letters, "
          + "digits and '-', starting with a letter, at most 63); using " + SpecValidator.shown(name));
    }
  }

  /** FC's description becomes the annotation fc.dev/description. */
  void description(MappingReader props, String key) {
    props.text(key).filter(text -> !text.isBlank()).ifPresent(text -> annotations.put(DESCRIPTION_ANNOTATION, text));
  }

  /**
   * python3.9, 3.10, 3.12, nodejs18 and 20 as they are; FC's python3 (3.6) as python3.9 and Node.js before 18 as
   * nodejs18, each with a warning; others an error.
   */
  void runtime(MappingReader props, String key) {
    PropPath path = props.path(key);
    sources.put("spec.runtime", path);
    Optional<String> written = props.text(key);
    if (written.isEmpty()) {
      error(path, "is required: " + FcRuntime.allowed());
      return;
    }
    String fcName = written.get().strip();
    Optional<FcRuntime> runtime = Runtimes.exact(fcName);
    if (runtime.isPresent()) {
      spec.setRuntime(runtime.get().fcName());
    } else if (Runtimes.isOlderCustomRuntime(fcName)) {
      spec.setRuntime(FcRuntime.CUSTOM_DEBIAN12.fcName());
      warn(path, fcName + " runs as custom.debian12 (Debian 12): check the command runs there");
    } else if (Runtimes.isOlderNode(fcName)) {
      spec.setRuntime(Runtimes.OLDER_NODE_REPLACEMENT.fcName());
      warn(path, fcName + " runs as " + Runtimes.OLDER_NODE_REPLACEMENT + ", the oldest Node.js FunctionInstance "
          + "runs: check the code runs on it");
    } else if (Runtimes.isOldPython3(fcName)) {
      spec.setRuntime(Runtimes.PYTHON3_REPLACEMENT.fcName());
      warn(path, "python3 (FC's Python 3.6) has no equivalent; using " + Runtimes.PYTHON3_REPLACEMENT
          + ", the oldest Python FunctionInstance runs: check the code runs on it");
    } else {
      error(path, SpecValidator.shown(fcName) + " has no equivalent: FunctionInstance runs " + FcRuntime.allowed()
          + " (and FC's python3 as " + Runtimes.PYTHON3_REPLACEMENT + ")");
    }
  }

  void handler(MappingReader props, String key) {
    PropPath path = props.path(key);
    sources.put("spec.handler", path);
    Optional<String> handler = props.text(key).filter(text -> !text.isBlank());
    if (handler.isEmpty()) {
      error(path, "is required, as file.method (e.g. index.handler)");
    } else {
      spec.setHandler(handler.get().strip());
    }
  }

  /** memorySize, timeout, cpu and instanceConcurrency, named alike in fc3 and fc2. */
  void sizing(MappingReader props) {
    sources.put("spec.memorySize", props.path("memorySize"));
    sources.put("spec.timeout", props.path("timeout"));
    sources.put("spec.cpu", props.path("cpu"));
    sources.put("spec.instanceConcurrency", props.path("instanceConcurrency"));
    props.wholeNumber("memorySize").ifPresent(spec::setMemorySize);
    props.wholeNumber("timeout").ifPresent(spec::setTimeout);
    props.number("cpu").ifPresent(spec::setCpu);
    props.wholeNumber("instanceConcurrency").ifPresent(spec::setInstanceConcurrency);
  }

  void environment(MappingReader props, String key) {
    sources.put("spec.environmentVariables", props.path(key));
    props.textMap(key).filter(map -> !map.isEmpty()).ifPresent(spec::setEnvironmentVariables);
  }

  /** What FC's custom runtimes run when customRuntimeConfig names no command. */
  static final String BOOTSTRAP = "/code/bootstrap";

  /**
   * customContainerConfig: image and port as they are; FC 3.0's {@code entrypoint} and {@code command} are a
   * container's command and args ({@code fc3}), FC 2.0's {@code command} and {@code args} the same.
   */
  void customContainer(MappingReader props, String key, boolean fc3) {
    props.mapping(key).ifPresent(config -> {
      sources.put("spec.customContainerConfig", props.path(key));
      CustomContainerConfig out = new CustomContainerConfig();
      config.text("image").map(String::strip).ifPresent(out::setImage);
      if (fc3) {
        sources.put("spec.customContainerConfig.command", config.path("entrypoint"));
        sources.put("spec.customContainerConfig.args", config.path("command"));
        config.textList("entrypoint").ifPresent(out::setCommand);
        config.textList("command").ifPresent(out::setArgs);
      } else {
        config.textList("command").ifPresent(out::setCommand);
        config.textList("args").ifPresent(out::setArgs);
      }
      config.wholeNumber("port").ifPresent(out::setPort);
      config.skip("accelerationType");
      config.warnUnhandled();
      spec.setCustomContainerConfig(out);
    });
  }

  /** customRuntimeConfig: command, args and port as they are; without it FC runs the code's bootstrap file. */
  void customRuntime(MappingReader props, String key) {
    if (props.value(key).isEmpty() && FcRuntime.CUSTOM_DEBIAN12.fcName().equals(spec.getRuntime())) {
      spec.setCustomRuntimeConfig(new CustomRuntimeConfig(java.util.List.of(BOOTSTRAP), null, null));
      warn(props.path(key), "is not set: FC runs " + BOOTSTRAP + ", and so does the FunctionInstance "
          + "(spec.customRuntimeConfig.command)");
      return;
    }
    props.mapping(key).ifPresent(config -> {
      sources.put("spec.customRuntimeConfig", props.path(key));
      CustomRuntimeConfig out = new CustomRuntimeConfig();
      config.textList("command").ifPresent(out::setCommand);
      config.textList("args").ifPresent(out::setArgs);
      config.wholeNumber("port").ifPresent(out::setPort);
      config.warnUnhandled();
      spec.setCustomRuntimeConfig(out);
    });
  }

  /** A folder, inside the s.yaml's folder, read into inline code; none for a custom container (its image). */
  void code(MappingReader props, String key) {
    PropPath path = props.path(key);
    sources.put("spec.code", path);
    Optional<JsonNode> value = props.value(key);
    if (value.isEmpty() && FcRuntime.CUSTOM_CONTAINER.fcName().equals(spec.getRuntime())) {
      return;
    }
    if (value.isPresent() && value.get().isContainerNode()) {
      error(path, "must name a folder (e.g. ./code): code in OSS cannot be converted; put it in a ConfigMap "
          + "(spec.code.configMap) or an image (spec.code.image)");
      return;
    }
    if (value.isEmpty() || value.get().asText().isBlank()) {
      error(path, "is required: the folder with the function's code");
      return;
    }
    String written = value.get().asText();
    try {
      spec.setCode(Code.inline(context.codeReader().read(context.project(), written)));
    } catch (CodeFolderException e) {
      error(path, "names the folder " + SpecValidator.shortened(written) + ", which " + e.getMessage());
    }
  }

  /**
   * An FC hook mapping ({@code handler}, {@code timeout}); null, with a warning, when its handler is empty
   * (FC's tools write {@code handler: ''} for "no hook"). {@code what} is "Initializer" or "PreStop".
   */
  LifecycleHook hook(MappingReader hook, String what) {
    int errors = context.diagnostics().errorCount();
    Optional<String> handler = hook.text("handler");
    Optional<Integer> timeout = hook.wholeNumber("timeout");
    hook.warnUnhandled();
    if (handler.isEmpty() || handler.get().isBlank()) {
      if (context.diagnostics().errorCount() == errors) {
        warn(hook.path(), "has no handler, so the function has no " + what + " hook");
      }
      return null;
    }
    return new LifecycleHook(handler.get().strip(), timeout.orElse(null));
  }

  void initializer(LifecycleHook hook, PropPath handlerPath, PropPath timeoutPath) {
    initializer = hook;
    sources.put("spec.instanceLifecycleConfig.initializer.handler", handlerPath);
    sources.put("spec.instanceLifecycleConfig.initializer.timeout", timeoutPath);
  }

  void preStop(LifecycleHook hook, PropPath handlerPath, PropPath timeoutPath) {
    preStop = hook;
    sources.put("spec.instanceLifecycleConfig.preStop.handler", handlerPath);
    sources.put("spec.instanceLifecycleConfig.preStop.timeout", timeoutPath);
  }

  /**
   * The FunctionInstance when this function's props gave no error and it passes {@link SpecValidator};
   * otherwise empty, each validation error placed on the s.yaml path it came from.
   */
  Optional<ConvertedFunction> finish() {
    if (context.diagnostics().errorCount() > errorsBefore) {
      return Optional.empty();
    }
    FunctionInstance fi = build();
    List<FieldError> errors = SpecValidator.validate(fi);
    for (FieldError e : errors) {
      if (e.field().endsWith("]")) {
        // spec.environmentVariables[FC_X]: the name is what is wrong
        context.diagnostics().errorAtKey(source(e.field()), e.message());
      } else {
        error(source(e.field()), e.message());
      }
    }
    return errors.isEmpty() ? Optional.of(new ConvertedFunction(origin, namePath, fi)) : Optional.empty();
  }

  private FunctionInstance build() {
    ObjectMeta metadata = new ObjectMeta();
    metadata.setName(name);
    if (!annotations.isEmpty()) {
      metadata.setAnnotations(annotations);
    }
    if (initializer != null || preStop != null) {
      spec.setInstanceLifecycleConfig(new InstanceLifecycleConfig(initializer, preStop));
    }
    FunctionInstance fi = new FunctionInstance();
    fi.setMetadata(metadata);
    fi.setSpec(spec);
    return fi;
  }

  /** The s.yaml path a FunctionInstance field came from, e.g. spec.environmentVariables[FC_X]. */
  private PropPath source(String field) {
    String best = null;
    for (String known : sources.keySet()) {
      boolean covers = field.equals(known) || field.startsWith(known + ".") || field.startsWith(known + "[");
      if (covers && (best == null || known.length() > best.length())) {
        best = known;
      }
    }
    if (best == null) {
      return origin;
    }
    PropPath path = sources.get(best);
    Matcher rest = FIELD_SEGMENT.matcher(field.substring(best.length()));
    while (rest.find()) {
      path = path.child(rest.group(1) != null ? rest.group(1) : rest.group(2));
    }
    return path;
  }

  private void warn(PropPath path, String message) {
    context.diagnostics().warn(path, message);
  }

  private void error(PropPath path, String message) {
    context.diagnostics().error(path, message);
  }
}
