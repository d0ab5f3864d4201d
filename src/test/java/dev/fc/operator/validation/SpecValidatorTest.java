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
        bad("spec.instances", "from 0 to 1000", fi -> fi.getSpec().setInstances(-1)),
        bad("spec.instances", "from 0 to 1000", fi -> fi.getSpec().setInstances(1001)),
        bad("spec.instances", "from 0 to 1000", fi -> fi.getSpec().setInstances(Integer.MAX_VALUE)),
        bad("spec.minInstances", "from 0 to 1000", fi -> fi.getSpec().setMinInstances(-1)),
        bad("spec.maxInstances", "from 1 to 1000", fi -> fi.getSpec().setMaxInstances(0)),
        bad("spec.maxInstances", "from 1 to 1000", fi -> fi.getSpec().setMaxInstances(1001)),
        bad("spec.idleTimeout", "from 1 to 86400", fi -> fi.getSpec().setIdleTimeout(0)),
        bad("spec.minInstances", "must not exceed spec.maxInstances (3), got 4: lower minInstances or raise", fi -> {
          fi.getSpec().setMinInstances(4);
          fi.getSpec().setMaxInstances(3);
        }),
        bad("spec.minInstances", "must not exceed spec.maxInstances (default 100), got 101: set maxInstances too",
            fi -> fi.getSpec().setMinInstances(101)),
        bad("spec.cpu", "0.05 to 16", fi -> fi.getSpec().setCpu(Double.NaN)),
        bad("spec.cpu", "0.05 to 16", fi -> fi.getSpec().setCpu(Double.POSITIVE_INFINITY)),
        bad("metadata.namespace", "lower-case letters", fi -> fi.getMetadata().setNamespace("Prod")),
        bad("metadata.namespace", "lower-case letters", fi -> fi.getMetadata().setNamespace("a.b")),
        bad("metadata.namespace", "at most 63", fi -> fi.getMetadata().setNamespace("n".repeat(64))),
        bad("metadata.namespace", "lower-case letters", fi -> fi.getMetadata().setNamespace("")),
        bad("spec.env[1].name", "set twice: in spec.env[0] and in spec.env[1]", fi -> fi.getSpec().setEnv(List.of(
            new EnvVarBuilder().withName("A").withValue("1").build(),
            new EnvVarBuilder().withName("A").withValue("2").build()))),
        bad("spec.env[0].name", "in spec.environmentVariables[A] and in spec.env[0]", fi -> {
          fi.getSpec().setEnvironmentVariables(Map.of("A", "1"));
          fi.getSpec().setEnv(List.of(new EnvVarBuilder().withName("A").withValue("2").build()));
        }),
        bad("spec.env[0]", "both value and valueFrom", fi -> fi.getSpec().setEnv(List.of(new EnvVarBuilder()
            .withName("A").withValue("1").withNewValueFrom().withNewSecretKeyRef("k", "s", false).endValueFrom()
            .build()))),
        bad("spec.env[0].valueFrom", "exactly one of", fi -> fi.getSpec().setEnv(List.of(new EnvVarBuilder()
            .withName("A").withNewValueFrom().endValueFrom().build()))),
        bad("spec.env[0].valueFrom", "got secretKeyRef, configMapKeyRef", fi -> fi.getSpec().setEnv(List.of(
            new EnvVarBuilder().withName("A").withNewValueFrom().withNewSecretKeyRef("k", "s", false)
                .withNewConfigMapKeyRef("k", "c", false).endValueFrom().build()))),
        bad("spec.env[0].valueFrom.secretKeyRef.name", "is required", fi -> fi.getSpec().setEnv(List.of(
            new EnvVarBuilder().withName("A").withNewValueFrom().withNewSecretKeyRef().withKey("k").endSecretKeyRef()
                .endValueFrom().build()))),
        bad("spec.env[0].valueFrom.fieldRef.fieldPath", "must be one of", fi -> fi.getSpec().setEnv(List.of(
            new EnvVarBuilder().withName("A").withNewValueFrom().withNewFieldRef().withFieldPath("spec.x")
                .endFieldRef().endValueFrom().build()))),
        bad("spec.environmentVariables[A]", "has no value", fi -> {
          Map<String, String> variables = new java.util.HashMap<>();
          variables.put("A", null);
          fi.getSpec().setEnvironmentVariables(variables);
        }),
        bad("spec.environmentVariables", "more than 32768", fi -> fi.getSpec().setEnvironmentVariables(
            Map.of("BIG", "x".repeat(SpecValidator.MAX_ENVIRONMENT_BYTES)))),
        bad("spec.code.inline[lib.py]", "has no content", fi -> {
          Map<String, String> files = new java.util.HashMap<>(Map.of("index.py", ""));
          files.put("lib.py", null);
          fi.getSpec().setCode(Code.inline(files));
        }),
        bad("spec.code.inline", "more than 1000", fi -> fi.getSpec().setCode(Code.inline(
            java.util.stream.IntStream.range(0, 1001).boxed()
                .collect(java.util.stream.Collectors.toMap(i -> "f" + i + ".txt", i -> ""))))),
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
  void inlinePathsAreBoundedByTheirConfigMapKeyAndTheirDepth() {
    FunctionInstance fi = Fixtures.function("emoji");
    String longKey = ("d".repeat(61) + "/").repeat(4) + "f.py"; // 252 characters, key 256
    String deep = "a/".repeat(SpecValidator.MAX_FOLDER_DEPTH + 1) + "f.py";
    String deepest = "a/".repeat(SpecValidator.MAX_FOLDER_DEPTH) + "f.py";
    fi.getSpec().setCode(Code.inline(Map.of("index.py", "", longKey, "", deep, "", deepest, "")));
    assertThat(SpecValidator.validate(fi)).extracting(FieldError::message)
        .anySatisfy(message -> assertThat(message).contains("at most 253 characters"))
        .anySatisfy(message -> assertThat(message).contains("17 folders deep"))
        .hasSize(2);
  }

  @Test
  void theBoundsThemselvesAreValid() {
    FunctionInstance fi = Fixtures.function("emoji");
    fi.getSpec().setInstances(dev.fc.operator.api.FunctionInstanceSpec.MAX_INSTANCES);
    fi.getMetadata().setNamespace("n".repeat(63));
    fi.getSpec().setEnv(List.of(new EnvVarBuilder().withName("T").withNewValueFrom()
        .withNewSecretKeyRef("k", "s", false).endValueFrom().build()));
    assertThat(SpecValidator.validate(fi)).isEmpty();
  }

  @Test
  void foldersInInlineCodeAreAllowed() {
    FunctionInstance fi = Fixtures.function("emoji");
    fi.getSpec().setCode(Code.inline(Map.of("index.py", "", "python/lib.py", "", "data/a-b_c.json", "{}")));
    assertThat(SpecValidator.validate(fi)).isEmpty();
  }
}
