package dev.fc.operator.cli;

import dev.fc.operator.manifest.FunctionInstanceFile;
import dev.fc.operator.input.InputException;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.convert.CodeFolderReader;
import dev.fc.operator.desired.DesiredState;
import dev.fc.operator.desired.DesiredStateBuilder;
import dev.fc.operator.desired.RuntimeFiles;
import dev.fc.operator.desired.InstanceSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ConvertCommandTest {
  private static final Path SAMPLES = Path.of("src/test/resources/convert");
  private static final String TWO_FUNCTIONS = """
      edition: 3.0.0
      resources:
        first:
          component: fc3
          props:
            functionName: first
            runtime: python3.10
            handler: index.handler
            code: ./code
        second:
          component: fc3
          props:
            functionName: Second_One
            runtime: python3.12
            handler: index.handler
            code: ./code
            instanceLifecycleConfig:
              preStop: {handler: index.pre_stop, timeout: 5}
      """;

  @TempDir
  Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(Map<String, String> environment, String... args) {
    CommandLine cli = new CommandLine(new ConvertCommand(environment::get));
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    return cli.execute(args);
  }

  private List<String> errLines() {
    return err.toString().lines().toList();
  }

  private Path twoFunctions() throws IOException {
    Files.createDirectories(dir.resolve("code"));
    Files.writeString(dir.resolve("code/index.py"), "def handler(event, context):\n    return event\n\n\n"
        + "def pre_stop(context):\n    pass\n");
    return Files.writeString(dir.resolve("s.yaml"), TWO_FUNCTIONS);
  }

  /** What render does with a file: read and validate it, then build every object. */
  private static List<DesiredState> render(Path file) throws InputException {
    DesiredStateBuilder builder =
        new DesiredStateBuilder(InstanceSettings.defaults(), RuntimeFiles.same(Map.of("bootstrap.py", "#\n")));
    return FunctionInstanceFile.read(file).stream().map(builder::build).toList();
  }

  @Test
  void printsMultiDocumentYamlAndWarnsOnStderr() {
    int status = run(Map.of("DB_HOST", "db.local"), SAMPLES.resolve("fc3/s.yaml").toString());
    assertThat(status).isEqualTo(ExitCodes.OK);
    assertThat(out.toString()).startsWith("""
        ---
        # converted by fc-operator convert from src/test/resources/convert/fc3/s.yaml: resources.emoji
        apiVersion: fc.dev/v1alpha1
        kind: FunctionInstance
        metadata:
          name: emoji-py
          annotations:
            fc.dev/description: Emoji of the day
        spec:
          runtime: python3.10
        """);
    assertThat(out.toString()).contains("    DB_HOST: db.local\n", "      python/lib.py: |\n");
    assertThat(errLines()).hasSize(13).allMatch(line -> line.startsWith("warning: "))
        .contains("warning: src/test/resources/convert/fc3/s.yaml:17: resources.emoji.props.region has no "
            + "equivalent in FunctionInstance; ignored");
  }

  @Test
  void theOutputPassesRenderUnchanged() throws Exception {
    for (String sample : List.of("fc3/s.yaml", "fc2/s.yaml", "docs-sample-fixed/s.yaml")) {
      out.getBuffer().setLength(0);
      assertThat(run(Map.of(), SAMPLES.resolve(sample).toString())).isEqualTo(ExitCodes.OK);
      Path converted = Files.writeString(dir.resolve(sample.replace('/', '-')), out.toString());
      List<DesiredState> objects = render(converted);
      assertThat(objects).hasSize(1);
      assertThat(objects.get(0).podTemplate().getSpec().getContainers()).isNotEmpty();
    }
  }

  @Test
  void twoFunctionsAreTwoDocuments() throws Exception {
    assertThat(run(Map.of(), twoFunctions().toString())).isEqualTo(ExitCodes.OK);
    Path converted = Files.writeString(dir.resolve("all.yaml"), out.toString());
    List<FunctionInstance> read = FunctionInstanceFile.read(converted);
    assertThat(read).extracting(fi -> fi.getMetadata().getName()).containsExactly("first", "second-one");
    assertThat(render(converted)).hasSize(2);
    assertThat(errLines()).containsExactly("warning: " + dir.resolve("s.yaml") + ":13: resources.second.props"
        + ".functionName \"Second_One\" is not a valid FunctionInstance name (lower-case letters, digits and '-', "
        + "starting with a letter, at most 63); using \"second-one\"");
  }

  @Test
  void withOutputDirWritesOneFilePerFunctionCreatingTheFolder() throws Exception {
    Path sYaml = twoFunctions();
    Path target = dir.resolve("k8s/functions");
    assertThat(run(Map.of(), sYaml.toString(), "-o", target.toString())).isEqualTo(ExitCodes.OK);
    try (Stream<Path> files = Files.list(target)) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted()).containsExactly("first.yaml", "second-one.yaml");
    }
    assertThat(out.toString().lines()).containsExactly("wrote " + target.resolve("first.yaml"),
        "wrote " + target.resolve("second-one.yaml"));
    assertThat(FunctionInstanceFile.read(target.resolve("second-one.yaml")).get(0).getMetadata().getName())
        .isEqualTo("second-one");
    assertThat(render(target.resolve("first.yaml"))).hasSize(1);
  }

  @Test
  void anOutputDirInsideTheCodeFolderIsNotReadAsCode() throws Exception {
    Path sample = SAMPLES.resolve("docs-sample-fixed");
    Files.copy(sample.resolve("s.yaml"), dir.resolve("s.yaml"));
    Files.copy(sample.resolve("index.py"), dir.resolve("index.py"));
    String[] args = {dir.resolve("s.yaml").toString(), "--output-dir", dir.resolve("k8s").toString()};
    assertThat(run(Map.of(), args)).isEqualTo(ExitCodes.OK);
    assertThat(run(Map.of(), args)).isEqualTo(ExitCodes.OK);
    FunctionInstance fi = FunctionInstanceFile.read(dir.resolve("k8s/emojipy.yaml")).get(0);
    assertThat(fi.getSpec().getCode().getInline()).containsOnlyKeys("index.py");
  }

  @Test
  void brokenInputExits2WithOneLinePerErrorAndWritesNothing() throws Exception {
    Path sYaml = twoFunctions();
    Files.writeString(sYaml, """
        edition: 3.0.0
        resources:
          first:
            component: fc3
            props:
              functionName: first
              runtime: python3.10
              handler: index.handler
              code: ./code
          second:
            component: fc3
            props:
              functionName: Second_One
              runtime: java11
              code: ./code
              memorySize: "lots"
        """);
    int status = run(Map.of(), sYaml.toString(), "-o", dir.resolve("out").toString());
    assertThat(status).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(out.toString()).isEmpty();
    assertThat(dir.resolve("out")).doesNotExist();
    String file = sYaml.toString();
    assertThat(errLines()).containsExactly(
        "warning: " + file + ":13: resources.second.props.functionName \"Second_One\" is not a valid "
            + "FunctionInstance name (lower-case letters, digits and '-', starting with a letter, at most 63); "
            + "using \"second-one\"",
        "error: " + file + ":12:5: resources.second.props.handler is required, as file.method (e.g. index.handler)",
        "error: " + file + ":14:16: resources.second.props.runtime \"java11\" has no equivalent: FunctionInstance "
            + "runs python3.9, python3.10, python3.12, nodejs18, nodejs20, custom.debian12, custom-container (and FC's "
            + "python3 as python3.9)",
        "error: " + file + ":16:19: resources.second.props.memorySize must be a whole number, got \"lots\"");
  }

  @Test
  void theFcDocsSampleExits2NamingLineAndColumn() {
    assertThat(run(Map.of(), SAMPLES.resolve("docs-sample/s.yaml").toString())).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(errLines()).containsExactly("error: src/test/resources/convert/docs-sample/s.yaml:24:7: not valid "
        + "YAML: line 24 is indented to column 7, which fits no open block after line 22 (column 1): a line is "
        + "indented at the wrong level");
  }

  @Test
  void aMissingFileExits2() {
    assertThat(run(Map.of(), dir.resolve("nope.yaml").toString())).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(errLines()).containsExactly("error: " + dir.resolve("nope.yaml") + ": no such file");
  }

  @Test
  void helpDescribesTheMappingTheSkipListAndTheExitStatus() {
    assertThat(run(Map.of(), "--help")).isZero();
    String help = out.toString().replaceAll("\\s+", "");
    Stream.of("Usage: convert [-hV] [-o=DIR] S_YAML", "fc.dev/description", "python3.9", "${vars.x}", "${env('X')}",
        "spec.code.configMap", CodeFolderReader.SKIPPED, "2 invalid s.yaml")
        .forEach(text -> assertThat(help).contains(text.replaceAll("\\s+", "")));
  }

  @Test
  void theRootCommandHasConvert() {
    CommandLine root = FcOperatorCommand.commandLine();
    assertThat(root.getSubcommands()).containsKey("convert");
    StringWriter usage = new StringWriter();
    root.setOut(new PrintWriter(usage));
    root.execute("--help");
    assertThat(usage.toString()).contains("convert");
  }
}
