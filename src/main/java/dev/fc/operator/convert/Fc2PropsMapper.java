package dev.fc.operator.convert;

import dev.fc.operator.api.LifecycleHook;
import java.util.Optional;

/**
 * Maps the {@code props} of an fc2 service (component devsapp/fc): {@code props.function}'s name,
 * description, runtime, handler, codeUri, memorySize, timeout, cpu, instanceConcurrency, customContainerConfig,
 * customRuntimeConfig,
 * environmentVariables, initializer + initializationTimeout (as fc3's instanceLifecycleConfig.initializer)
 * and instanceLifecycleConfig.preStop. preFreeze, the service settings and every other key get a warning.
 */
final class Fc2PropsMapper {
  static final String PRE_FREEZE = "is not supported in fc3, which FunctionInstance follows; ignored";

  private Fc2PropsMapper() {}

  static Optional<ConvertedFunction> map(MappingReader props, String serviceName, PropPath origin,
      ConversionContext context) {
    int errors = context.diagnostics().errorCount();
    Optional<MappingReader> function = props.mapping("function");
    props.warnUnhandled();
    if (function.isEmpty()) {
      if (context.diagnostics().errorCount() == errors) {
        context.diagnostics().warn(props.path(), "has no function; nothing to convert");
      }
      return Optional.empty();
    }
    MappingReader f = function.get();
    FunctionDraft draft = new FunctionDraft(context, origin);
    draft.name(f, "name", serviceName);
    draft.description(f, "description");
    draft.runtime(f, "runtime");
    draft.handler(f, "handler");
    draft.sizing(f);
    draft.environment(f, "environmentVariables");
    Optional<String> initializer = f.text("initializer").filter(text -> !text.isBlank());
    Optional<Integer> initializationTimeout = f.wholeNumber("initializationTimeout");
    if (initializer.isPresent()) {
      draft.initializer(new LifecycleHook(initializer.get().strip(), initializationTimeout.orElse(null)),
          f.path("initializer"), f.path("initializationTimeout"));
    } else if (initializationTimeout.isPresent()) {
      context.diagnostics().warn(f.path("initializationTimeout"), "applies to no initializer; ignored");
    }
    f.mapping("instanceLifecycleConfig").ifPresent(lifecycle -> {
      lifecycle.mapping("preStop").ifPresent(hook -> draft.preStop(draft.hook(hook, "PreStop"),
          hook.path("handler"), hook.path("timeout")));
      lifecycle.ignore("preFreeze", PRE_FREEZE);
      lifecycle.warnUnhandled();
    });
    draft.customContainer(f, "customContainerConfig", false);
    draft.customRuntime(f, "customRuntimeConfig");
    draft.code(f, "codeUri");
    f.warnUnhandled();
    return draft.finish();
  }
}
