package dev.fc.operator.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fc.operator.api.Code;
import dev.fc.operator.api.CustomContainerConfig;
import dev.fc.operator.api.CustomRuntimeConfig;
import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.desired.Fixtures;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class CustomRuntimeValidationTest {
  static FunctionInstance container() {
    FunctionInstance fi = Fixtures.function("app");
    fi.getSpec().setRuntime("custom-container");
    fi.getSpec().setCode(null);
    fi.getSpec().setCustomContainerConfig(new CustomContainerConfig("registry.example.com/app:1", null, null, null,
        null));
    return fi;
  }

  static FunctionInstance debian() {
    FunctionInstance fi = Fixtures.function("deb");
    fi.getSpec().setRuntime("custom.debian12");
    // a custom runtime's hook names go to the server as headers: no index.py is needed for index.initialize
    fi.getSpec().setCode(Code.inline(Map.of("server.sh", "exec python3 -m http.server\n")));
    fi.getSpec().setCustomRuntimeConfig(new CustomRuntimeConfig(List.of("sh", "server.sh"), null, null));
    return fi;
  }

  @Test
  void validCustomFunctionsHaveNoError() {
    assertThat(SpecValidator.validate(container())).isEmpty();
    assertThat(SpecValidator.validate(debian())).isEmpty();
  }

  static Stream<Arguments> badSpecs() {
    return Stream.of(
        bad("spec.customContainerConfig", "is required for runtime custom-container", container(),
            fi -> fi.getSpec().setCustomContainerConfig(null)),
        bad("spec.customContainerConfig.image", "is required", container(),
            fi -> fi.getSpec().getCustomContainerConfig().setImage(" ")),
        bad("spec.customContainerConfig.port", "must not be 9001", container(),
            fi -> fi.getSpec().getCustomContainerConfig().setPort(9001)),
        bad("spec.customContainerConfig.port", "must not be 9002", container(),
            fi -> fi.getSpec().getCustomContainerConfig().setPort(9002)),
        bad("spec.customContainerConfig.port", "from 1 to 65535", container(),
            fi -> fi.getSpec().getCustomContainerConfig().setPort(70000)),
        bad("spec.customContainerConfig.runAsUser", "non-root", container(),
            fi -> fi.getSpec().getCustomContainerConfig().setRunAsUser(0L)),
        bad("spec.customContainerConfig.args[1]", "has no value", container(),
            fi -> fi.getSpec().getCustomContainerConfig().setArgs(Arrays.asList("a", null))),
        bad("spec.code", "whose code is its image", container(),
            fi -> fi.getSpec().setCode(Code.inline(Map.of("a.py", "")))),
        bad("spec.customRuntimeConfig", "is for runtime custom.debian12", container(),
            fi -> fi.getSpec().setCustomRuntimeConfig(new CustomRuntimeConfig(List.of("x"), null, null))),
        bad("spec.customRuntimeConfig.command", "is required for runtime custom.debian12", debian(),
            fi -> fi.getSpec().getCustomRuntimeConfig().setCommand(List.of())),
        bad("spec.customRuntimeConfig.command", "is required for runtime custom.debian12", debian(),
            fi -> fi.getSpec().setCustomRuntimeConfig(null)),
        bad("spec.customRuntimeConfig.port", "must not be 9001", debian(),
            fi -> fi.getSpec().getCustomRuntimeConfig().setPort(9001)),
        bad("spec.code", "is required", debian(), fi -> fi.getSpec().setCode(null)),
        bad("spec.customContainerConfig", "is for runtime custom-container", debian(),
            fi -> fi.getSpec().setCustomContainerConfig(new CustomContainerConfig("img", null, null, null, null))),
        bad("spec.customContainerConfig", "is for runtime custom-container", Fixtures.function("py"),
            fi -> fi.getSpec().setCustomContainerConfig(new CustomContainerConfig("img", null, null, null, null))));
  }

  private static Arguments bad(String field, String message, FunctionInstance fi, Consumer<FunctionInstance> change) {
    change.accept(fi);
    return Arguments.of(field, message, fi);
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("badSpecs")
  void badCustomFieldsAreNamed(String field, String message, FunctionInstance fi) {
    assertThat(SpecValidator.validate(fi))
        .anySatisfy(e -> {
          assertThat(e.field()).isEqualTo(field);
          assertThat(e.message()).contains(message);
        });
  }
}
