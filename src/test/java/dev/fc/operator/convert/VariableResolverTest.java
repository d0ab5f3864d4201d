package dev.fc.operator.convert;

import dev.fc.operator.input.InputException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VariableResolverTest {
  private static final PropPath AT = PropPath.of("resources", "f", "props", "x");
  private final List<String> warnings = new ArrayList<>();
  private final VariableResolver resolver = new VariableResolver(vars(), Map.of("HOME_DIR", "/home/me",
      "EMPTY", "")::get);

  private static JsonNode vars() {
    try {
      return SYamlDocument.parse("s.yaml", """
          vars:
            region: cn-hangzhou
            memory: 256
            fn:
              name: emoji
              full: ${vars.fn.name}-${vars.region}
            env:
              A: "1"
              B: ${env.HOME_DIR}
            loop: ${vars.loop}
            blank:
          """).root().path("vars");
    } catch (InputException e) {
      throw new AssertionError(e);
    }
  }

  private String text(String written) {
    return resolver.resolve(TextNode.valueOf(written), AT, (path, message) -> warnings.add(path + " " + message))
        .asText();
  }

  @Test
  void fillsInVarsIncludingNestedOnes() {
    assertThat(text("${vars.region}")).isEqualTo("cn-hangzhou");
    assertThat(text("fc-${vars.fn.name}.${vars.region}")).isEqualTo("fc-emoji.cn-hangzhou");
    assertThat(text("${ vars.memory }")).isEqualTo("256");
    assertThat(text("[${vars.blank}]")).isEqualTo("[]");
    assertThat(resolver.resolve(TextNode.valueOf("${vars.blank}"), AT, (path, message) -> warnings.add(message))
        .isNull()).isTrue();
    assertThat(warnings).isEmpty();
  }

  @Test
  void varsMayUseVarsAndTheEnvironment() {
    assertThat(text("${vars.fn.full}")).isEqualTo("emoji-cn-hangzhou");
    assertThat(text("${vars.env.B}")).isEqualTo("/home/me");
    assertThat(warnings).isEmpty();
  }

  @Test
  void aValueThatIsOneVariableTakesTheVariablesMapping() {
    JsonNode env = resolver.resolve(TextNode.valueOf("${vars.env}"), AT, (path, message) -> warnings.add(message));
    assertThat(env.isObject()).isTrue();
    assertThat(env.path("A").asText()).isEqualTo("1");
    assertThat(env.path("B").asText()).isEqualTo("/home/me");
    assertThat(warnings).isEmpty();
  }

  @Test
  void fillsInTheEnvironmentInBothForms() {
    assertThat(text("${env.HOME_DIR}/code")).isEqualTo("/home/me/code");
    assertThat(text("${env('HOME_DIR')}")).isEqualTo("/home/me");
    assertThat(text("${env(\"HOME_DIR\")}")).isEqualTo("/home/me");
    assertThat(text("[${env.EMPTY}]")).isEqualTo("[]");
    assertThat(text("${env('UNSET', 'fallback')}")).isEqualTo("fallback");
    assertThat(warnings).isEmpty();
  }

  @Test
  void leavesWhatItCannotFillInWithAWarningEach() {
    assertThat(text("${vars.nope}")).isEqualTo("${vars.nope}");
    assertThat(text("${env.UNSET}")).isEqualTo("${env.UNSET}");
    assertThat(text("${config('AccountID')}")).isEqualTo("${config('AccountID')}");
    assertThat(text("a ${vars.fn} b")).isEqualTo("a ${vars.fn} b");
    assertThat(warnings).containsExactly(
        "resources.f.props.x uses ${vars.nope}, but vars.nope is not defined in vars; left as it is",
        "resources.f.props.x uses ${env.UNSET}, but the environment variable UNSET is not set; left as it is",
        "resources.f.props.x uses ${config('AccountID')}, which convert cannot fill in (it fills in ${vars.*}, "
            + "${env.*} and ${env('*')}); left as it is",
        "resources.f.props.x uses ${vars.fn} inside text, but vars.fn is a mapping; left as it is");
  }

  @Test
  void aVariableThatRefersToItselfIsALoopPlacedWhereItIsWritten() {
    assertThatThrownBy(() -> text("x ${vars.loop}"))
        .isInstanceOf(VariableException.class)
        .hasMessage("uses ${vars.loop}, which loops: vars.loop -> vars.loop; a variable cannot use itself, not even "
            + "through other variables")
        .extracting(e -> ((VariableException) e).path()).isEqualTo(PropPath.of("vars", "loop"));
    assertThat(warnings).isEmpty();
  }

  @Test
  void textWithoutExpressionsIsUntouched() {
    assertThat(text("plain $HOME {x}")).isEqualTo("plain $HOME {x}");
    assertThat(warnings).isEmpty();
  }
}
