package dev.fc.operator.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fc.operator.api.Code;
import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.desired.Fixtures;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A Node.js function's handler and hooks are in index.js, index.mjs or index.cjs, as FC loads them. */
class NodeRuntimeValidationTest {
  static FunctionInstance node(Map<String, String> files) {
    FunctionInstance fi = Fixtures.function("emojinode");
    fi.getSpec().setRuntime("nodejs20");
    fi.getSpec().setCode(Code.inline(files));
    return fi;
  }

  @ParameterizedTest
  @ValueSource(strings = {"index.js", "index.mjs", "index.cjs"})
  void theHandlersFileMayBeAnyOfNodesModuleKinds(String file) {
    assertThat(SpecValidator.validate(node(Map.of(file, "exports.handler = () => 1;\n")))).isEmpty();
  }

  @Test
  void aMissingFileNamesTheFieldAndEveryFileNodeWouldTry() {
    assertThat(SpecValidator.validate(node(Map.of("index.py", "def handler(e, c): pass\n"))))
        .anySatisfy(e -> {
          assertThat(e.field()).isEqualTo("spec.handler");
          assertThat(e.message()).isEqualTo("\"index.handler\" needs the file index.js or index.mjs or index.cjs in "
              + "spec.code.inline, which holds index.py");
        });
  }

  @Test
  void aNodeFunctionNeedsItsCode() {
    FunctionInstance fi = node(Map.of());
    fi.getSpec().setCode(null);
    assertThat(SpecValidator.validate(fi)).anySatisfy(e -> assertThat(e.field()).startsWith("spec.code"));
  }
}
