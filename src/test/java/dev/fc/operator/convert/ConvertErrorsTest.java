package dev.fc.operator.convert;

import dev.fc.operator.input.InputException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fc.operator.api.Code;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broken s.yaml files: each problem is one error naming the file, line, column and field. */
class ConvertErrorsTest {
  private static final CodeSource INDEX_PY = (project, folder) -> Map.of("index.py", "def handler(event, context):\n    pass\n");

  /** An fc3 s.yaml whose function props are {@code props} (indented by 6). */
  private static String fc3(String props) {
    return """
        edition: 3.0.0
        resources:
          f:
            component: fc3
            props:
        """ + props.indent(6);
  }

  private static List<String> errors(String text) throws InputException {
    return errors(text, INDEX_PY);
  }

  private static List<String> errors(String text, CodeSource code) throws InputException {
    ConversionResult result = new SYamlConverter(name -> null, code).convert(Path.of("s.yaml"), text);
    assertThat(result.ok()).isFalse();
    return result.errors().stream().map(Diagnostic::toString).toList();
  }

  @Test
  void aWrongTypeIsPlacedAtTheValue() throws InputException {
    assertThat(errors(fc3("""
        functionName: f
        runtime: python3.10
        handler: index.handler
        code: ./
        memorySize: "lots"
        cpu: [1]
        """))).containsExactly(
            "error: s.yaml:10:19: resources.f.props.memorySize must be a whole number, got \"lots\"",
            "error: s.yaml:11:12: resources.f.props.cpu must be text, got a list");
  }

  @Test
  void aMissingHandlerIsPlacedAtProps() throws InputException {
    assertThat(errors(fc3("""
        functionName: f
        runtime: python3.10
        code: ./
        """))).containsExactly(
            "error: s.yaml:5:5: resources.f.props.handler is required, as file.method (e.g. index.handler)");
  }

  @Test
  void anUnknownRuntimeIsAnError() throws InputException {
    assertThat(errors(fc3("""
        functionName: f
        runtime: java11
        handler: index.handler
        code: ./
        """))).containsExactly("error: s.yaml:7:16: resources.f.props.runtime \"java11\" has no equivalent: "
            + "FunctionInstance runs python3.9, python3.10, python3.12, nodejs18, nodejs20, custom.debian12, "
            + "custom-container (and FC's python3 as python3.9)");
  }

  @Test
  void theFcDocsSampleIsASyntaxErrorWithLineAndColumn() throws Exception {
    Path file = Path.of("src/test/resources/convert/docs-sample/s.yaml");
    assertThatThrownBy(() -> new SYamlConverter(name -> null, INDEX_PY).convert(file, Files.readString(file)))
        .isInstanceOf(InputException.class)
        .hasMessage("src/test/resources/convert/docs-sample/s.yaml:24:7: not valid YAML: line 24 is indented to "
            + "column 7, which fits no open block after line 22 (column 1): a line is indented at the wrong level");
  }

  @Test
  void valuesOutOfRangeAreTheValidatorsErrorsPlacedOnTheSYaml() throws InputException {
    assertThat(errors(fc3("""
        functionName: f
        runtime: python3.10
        handler: main.handler
        code: ./
        memorySize: 100
        environmentVariables:
          FC_REGION: here
        instanceLifecycleConfig:
          initializer:
            handler: index.initialize
            timeout: 0
        """))).containsExactly(
            "error: s.yaml:8:16: resources.f.props.handler \"main.handler\" needs the file main.py in "
                + "spec.code.inline, which holds index.py",
            "error: s.yaml:10:19: resources.f.props.memorySize must be a multiple of 64 from 128 to 32768 (MiB), "
                + "got 100",
            "error: s.yaml:12:9: resources.f.props.environmentVariables.FC_REGION \"FC_REGION\" is reserved: names "
                + "starting FC_ are set by the runtime; choose another name",
            "error: s.yaml:16:20: resources.f.props.instanceLifecycleConfig.initializer.timeout must be from 1 to "
                + "86400 (seconds), got 0");
  }

  @Test
  void codeThatInlineCodeCannotCarryNamesTheFolderAndTheWayOut(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("index.py"), "def handler(event, context):\n    pass\n");
    Files.writeString(dir.resolve("big.txt"), "a".repeat(Code.MAX_INLINE_BYTES));
    Files.createDirectories(dir.resolve("bin"));
    Files.write(dir.resolve("bin/tool"), new byte[] {0x7f, 'E', 'L', 'F', 0});
    String text = fc3("""
        functionName: f
        runtime: python3.10
        handler: index.handler
        code: ./
        """);
    Path sYaml = Files.writeString(dir.resolve("s.yaml"), text);
    ConversionResult tooBig = new SYamlConverter(name -> null, new CodeFolderReader(Set.of(sYaml)))
        .convert(sYaml, text);
    assertThat(tooBig.errors()).map(Diagnostic::message).containsExactly("resources.f.props.code names the folder ./, "
        + "which holds 1048619 bytes in 3 files (largest: big.txt, 1048576 bytes), more than inline code can carry "
        + "(1 MiB, 1048576 bytes): put the code in an image (spec.code.image) or a ConfigMap (spec.code.configMap) "
        + "instead");
    Files.delete(dir.resolve("big.txt"));
    ConversionResult binary = new SYamlConverter(name -> null, new CodeFolderReader(Set.of(sYaml)))
        .convert(sYaml, text);
    assertThat(binary.errors()).map(Diagnostic::message).containsExactly("resources.f.props.code names the folder ./, "
        + "which holds a binary file, bin/tool (a NUL byte at byte offset 4), and inline code holds text only (UTF-8, no NUL byte): put the code "
        + "in a ConfigMap (spec.code.configMap) or an image (spec.code.image) instead, or remove the file");
    assertThat(binary.errors().get(0).location()).isEqualTo(new Location(9, 13));
  }

  @Test
  void codeMustBeAFolderPath() throws InputException {
    assertThat(errors(fc3("""
        functionName: f
        runtime: python3.10
        handler: index.handler
        code:
          ossBucketName: bucket
          ossObjectName: code.zip
        """))).containsExactly("error: s.yaml:9:7: resources.f.props.code must name a folder (e.g. ./code): code in "
            + "OSS cannot be converted; put it in a ConfigMap (spec.code.configMap) or an image (spec.code.image)");
  }

  @Test
  void theEditionIsRequired() throws InputException {
    assertThat(errors("resources: {}\n")).containsExactly(
        "error: s.yaml:1:1: edition is required: 3.0.0 for fc3 resources or 1.0.0 for fc2 services");
    assertThat(errors("edition: 2.0.0\n")).containsExactly(
        "error: s.yaml:1:10: edition must be 3.0.0 (fc3) or 1.0.0 (fc2), got \"2.0.0\"");
  }

  @Test
  void aFileWithoutFunctionsIsAnError() throws InputException {
    assertThat(errors("edition: 3.0.0\nresources:\n  site:\n    component: oss\n")).containsExactly(
        "error: s.yaml:1:1: holds no function to convert: expected resources with component fc3 (edition 3.0.0) or "
            + "services with component devsapp/fc (edition 1.0.0)");
  }

  @Test
  void twoFunctionsMayNotGetTheSameName() throws InputException {
    String text = """
        edition: 3.0.0
        resources:
          a:
            component: fc3
            props: {functionName: My_Func, runtime: python3.10, handler: index.handler, code: ./}
          b:
            component: fc3
            props: {functionName: my-func, runtime: python3.10, handler: index.handler, code: ./}
        """;
    assertThat(errors(text)).containsExactly("error: s.yaml:8:27: resources.b.props.functionName gives the name "
        + "\"my-func\", which resources.a already has: names must be unique");
  }

  @Test
  void fc2TypesArePlacedToo() throws InputException {
    String text = """
        edition: 1.0.0
        services:
          s:
            component: fc
            props:
              function:
                name: f
                runtime: python3.12
                handler: index.handler
                codeUri: ./
                initializer: index.initialize
                initializationTimeout: soon
                environmentVariables: [A, B]
        """;
    assertThat(errors(text)).containsExactly(
        "error: s.yaml:12:32: services.s.props.function.initializationTimeout must be a whole number, got \"soon\"",
        "error: s.yaml:13:31: services.s.props.function.environmentVariables must be a mapping of names to values, "
            + "got a list");
  }
}
