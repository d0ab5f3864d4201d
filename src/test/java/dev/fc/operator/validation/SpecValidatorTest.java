package dev.fc.operator.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fc.operator.api.Code;
import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.api.LifecycleHook;
import dev.fc.operator.desired.Fixtures;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SpecValidatorTest {

  @Test
  void aValidFunctionHasNoError() {
    assertThat(SpecValidator.validate(Fixtures.function("emoji"))).isEmpty();
  }

  static Stream<Arguments> badSpecs() {
    return Stream.of(
        bad("spec.handler", "file.method", fi -> fi.getSpec().setHandler("index")),
        bad("spec.handler", "is required", fi -> fi.getSpec().setHandler(null)),
        bad("spec.memorySize", "multiple of 64", fi -> fi.getSpec().setMemorySize(200)),
        bad("spec.memorySize", "from 128 to 32768", fi -> fi.getSpec().setMemorySize(64)),
        bad("spec.cpu", "0.05 to 16", fi -> fi.getSpec().setCpu(0.01)),
        bad("spec.timeout", "from 1 to 86400", fi -> fi.getSpec().setTimeout(0)),
        bad("spec.instanceConcurrency", "from 1 to 200", fi -> fi.getSpec().setInstanceConcurrency(201)),
        bad("spec.instances", "0 or more", fi -> fi.getSpec().setInstances(-1)),
        bad("spec.code", "exactly one of inline, configMap or image", fi -> fi.getSpec().getCode().setImage("x:1")),
        bad("spec.code", "is required", fi -> fi.getSpec().setCode(null)),
        bad("spec.code.inline", "more than 1 MiB", fi -> fi.getSpec().setCode(Code.inline(Map.of(
            "index.py", "def handler(e, c): pass\n", "big.txt", "x".repeat(Code.MAX_INLINE_BYTES))))),
        bad("spec.code.inline[../etc/passwd]", "no '..'", fi -> fi.getSpec().setCode(Code.inline(Map.of(
            "index.py", "", "../etc/passwd", "")))),
        bad("spec.handler", "needs the file main.py", fi -> fi.getSpec().setHandler("main.handler")),
        bad("spec.instanceLifecycleConfig.initializer.handler", "needs the file init.py",
            fi -> fi.getSpec().getInstanceLifecycleConfig().getInitializer().setHandler("init.run")),
        bad("spec.instanceLifecycleConfig.initializer.timeout", "from 1 to 86400",
            fi -> fi.getSpec().getInstanceLifecycleConfig().getInitializer().setTimeout(0)),
        bad("spec.instanceLifecycleConfig.preStop.handler", "file.method",
            fi -> fi.getSpec().getInstanceLifecycleConfig().setPreStop(new LifecycleHook("pre-stop", 3))),
        bad("spec.environmentVariables[FC_TIMEOUT]", "reserved",
            fi -> fi.getSpec().setEnvironmentVariables(Map.of("FC_TIMEOUT", "9"))),
        bad("spec.environmentVariables[1X]", "not starting with a digit",
            fi -> fi.getSpec().setEnvironmentVariables(Map.of("1X", "9"))),
        bad("spec.env[0].name", "reserved",
            fi -> fi.getSpec().setEnv(List.of(new EnvVarBuilder().withName("FC_REGION").withValue("x").build()))),
        bad("spec.code.configMap", "ConfigMap name", fi -> {
          Code code = new Code();
          code.setConfigMap("My_Code");
          fi.getSpec().setCode(code);
        }),
        bad("metadata.name", "start with a letter", fi -> fi.getMetadata().setName("1st")),
        bad("metadata.name", "at most 63", fi -> fi.getMetadata().setName("f".repeat(64))));
  }

  private static Arguments bad(String field, String message, Consumer<FunctionInstance> change) {
    return Arguments.of(field, message, change);
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("badSpecs")
  void eachErrorNamesTheFieldAndWhatIsAllowed(String field, String message, Consumer<FunctionInstance> change) {
    FunctionInstance fi = Fixtures.function("emoji");
    change.accept(fi);
    assertThat(SpecValidator.validate(fi))
        .anySatisfy(error -> {
          assertThat(error.field()).isEqualTo(field);
          assertThat(error.message()).contains(message);
        });
  }

  @Test
  void foldersInInlineCodeAreAllowed() {
    FunctionInstance fi = Fixtures.function("emoji");
    fi.getSpec().setCode(Code.inline(Map.of("index.py", "", "python/lib.py", "", "data/a-b_c.json", "{}")));
    assertThat(SpecValidator.validate(fi)).isEmpty();
  }
}
