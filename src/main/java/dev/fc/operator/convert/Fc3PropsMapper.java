package dev.fc.operator.convert;

import java.util.Optional;

/**
 * Maps the {@code props} of an fc3 resource: functionName, description, runtime, handler, code,
 * memorySize, timeout, cpu, instanceConcurrency, environmentVariables, customContainerConfig,
 * customRuntimeConfig and instanceLifecycleConfig.initializer/preStop. Every other prop gets a warning (fc2's initializer and
 * initializationTimeout one that names fc3's form).
 */
final class Fc3PropsMapper {
  private static final String FC2_FORM = "is fc2's form, which fc3 writes as ";

  private Fc3PropsMapper() {}

  static Optional<ConvertedFunction> map(MappingReader props, String resourceName, PropPath origin,
      ConversionContext context) {
    FunctionDraft draft = new FunctionDraft(context, origin);
    draft.name(props, "functionName", resourceName);
    draft.description(props, "description");
    draft.runtime(props, "runtime");
    draft.handler(props, "handler");
    draft.sizing(props);
    draft.environment(props, "environmentVariables");
    props.mapping("instanceLifecycleConfig").ifPresent(lifecycle -> {
      lifecycle.mapping("initializer").ifPresent(hook -> draft.initializer(draft.hook(hook, "Initializer"),
          hook.path("handler"), hook.path("timeout")));
      lifecycle.mapping("preStop").ifPresent(hook -> draft.preStop(draft.hook(hook, "PreStop"),
          hook.path("handler"), hook.path("timeout")));
      lifecycle.warnUnhandled();
    });
    draft.customContainer(props, "customContainerConfig", true);
    draft.customRuntime(props, "customRuntimeConfig");
    draft.code(props, "code");
    props.ignore("initializer", FC2_FORM + "instanceLifecycleConfig.initializer.handler; ignored");
    props.ignore("initializationTimeout", FC2_FORM + "instanceLifecycleConfig.initializer.timeout; ignored");
    props.warnUnhandled();
    return draft.finish();
  }
}
