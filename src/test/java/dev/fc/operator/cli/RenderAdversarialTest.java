package dev.fc.operator.cli;

import dev.fc.operator.manifest.FunctionInstanceFile;
import dev.fc.operator.input.InputText;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad FunctionInstance files, one fault each: render must exit 2 with one short stderr line naming
 * the field, never a Java exception, a silently changed value or an unbounded output.
 */
class RenderAdversarialTest {
  private static final String HEAD = """
      apiVersion: fc.dev/v1alpha1
      kind: FunctionInstance
      """;
  private static final String METADATA = """
      metadata:
        name: f
      """;
  private static final String CODE = """
        code:
          inline:
            index.py: "def handler(e, c): return e\\n"
      """;

  @TempDir
  Path dir;

  /** A document with the given lines (indented two spaces) under spec, after handler and code. */
  static String spec(String lines) {
    return HEAD + METADATA + "spec:\n  handler: index.handler\n" + CODE + lines.indent(2);
  }

  /** A document whose spec.code.inline holds index.py and the given lines (indented six spaces). */
  static String inline(String lines) {
    return spec("") + lines.indent(6);
  }

  /** A document named f with the given label lines. */
  static String labels(String lines) {
    return metadata("name: f\nlabels:\n" + lines.indent(2));
  }

  /** A document with the given metadata lines (indented two spaces). */
  static String metadata(String lines) {
    return HEAD + "metadata:\n" + lines.indent(2) + "spec:\n  handler: index.handler\n" + CODE;
  }

  /** A document with the given lines under spec and no code. */
  static String specWithoutCode(String lines) {
    return HEAD + METADATA + "spec:\n  handler: index.handler\n" + lines.indent(2);
  }

  static Arguments bad(String title, String field, String yaml) {
    return Arguments.of(title, field, yaml);
  }

  static Stream<Arguments> badInput() {
    String manyFiles = IntStream.range(0, 1001).mapToObj(i -> "f" + i + ".txt: \"\"")
        .collect(Collectors.joining("\n"));
    String bigEnvironment = IntStream.range(0, 40).mapToObj(i -> "V" + i + ": \"" + "x".repeat(1000) + "\"")
        .collect(Collectors.joining("\n  "));
    return Stream.of(
        // numbers: never cut, never taken from a string
        bad("memory with a fraction", "spec.memorySize", spec("memorySize: 512.5")),
        bad("timeout with a fraction", "spec.timeout", spec("timeout: 3.7")),
        bad("whole number written as float", "spec.instanceConcurrency", spec("instanceConcurrency: 1.0")),
        bad("memory in exponent form", "spec.memorySize", spec("memorySize: 5.12e2")),
        bad("quoted memory", "spec.memorySize", spec("memorySize: \"512\"")),
        bad("quoted instances", "spec.instances", spec("instances: \"3\"")),
        bad("quoted cpu", "spec.cpu", spec("cpu: \"0.5\"")),
        bad("empty string timeout", "spec.timeout", spec("timeout: \"\"")),
        bad("boolean timeout", "spec.timeout", spec("timeout: true")),
        bad("cpu NaN", "spec.cpu", spec("cpu: .nan")),
        bad("cpu infinity", "spec.cpu", spec("cpu: .inf")),
        bad("cpu minus infinity", "spec.cpu", spec("cpu: -.inf")),
        bad("cpu boolean", "spec.cpu", spec("cpu: yes")),
        bad("timeout beyond int", "spec.timeout", spec("timeout: 99999999999")),
        bad("cpu beyond double", "spec.cpu", spec("cpu: 1e400")),
        bad("env value as number", "spec.env[0].value", spec("env:\n- name: A\n  value: 1")),
        bad("env entry null", "spec.env[0].name", spec("env:\n- null")),
        bad("a mapping as key", "not valid YAML", spec("environmentVariables:\n  ? {a: 1}\n  : x")),
        bad("a 500 kB handler", "spec.handler", HEAD + METADATA + "spec:\n  handler: " + "h".repeat(500_000) + "\n" + CODE),
        bad("a handler file missing among 1000", "spec.handler",
            HEAD + METADATA + "spec:\n  handler: main.handler\n" + CODE + IntStream.range(0, 999)
                .mapToObj(i -> "f" + i + ".py: \"\"").collect(Collectors.joining("\n")).indent(6)),
        bad("a 500 kB runtime", "spec.runtime", spec("runtime: " + "r".repeat(500_000))),
        bad("memory as list", "spec.memorySize", spec("memorySize: [512]")),
        bad("memory as mapping", "spec.memorySize", spec("memorySize: {mib: 512}")),
        bad("hook timeout with a fraction", "spec.instanceLifecycleConfig.initializer.timeout",
            spec("instanceLifecycleConfig:\n  initializer:\n    handler: index.handler\n    timeout: 1.5")),
        bad("quoted hook timeout", "spec.instanceLifecycleConfig.preStop.timeout",
            spec("instanceLifecycleConfig:\n  preStop:\n    handler: index.handler\n    timeout: \"3\"")),
        // strings: never taken from a number
        bad("handler as number", "spec.handler", HEAD + METADATA + "spec:\n  handler: 123\n" + CODE),
        bad("runtime as number", "spec.runtime", spec("runtime: 3.10")),
        bad("handlerType as number", "spec.handlerType", spec("handlerType: 1")),
        bad("configMap as number", "spec.code.configMap", specWithoutCode("code:\n  configMap: 5")),
        bad("image empty", "spec.code.image", specWithoutCode("code:\n  image: \"\"")),
        bad("name as number", "metadata.name", metadata("name: 123")),
        bad("label value as number", "metadata.labels", metadata("name: f\nlabels:\n  tier: 1")),
        // sizes: bounded
        bad("instances at int max", "spec.instances", spec("instances: 2147483647")),
        bad("instances just above the bound", "spec.instances", spec("instances: 1001")),
        bad("instances beyond int", "spec.instances", spec("instances: 2147483648")),
        bad("instances negative", "spec.instances", spec("instances: -1")),
        bad("more than 1000 inline files", "spec.code.inline", inline(manyFiles)),
        bad("environment over 32 KiB", "spec.environmentVariables",
            spec("environmentVariables:\n  " + bigEnvironment)),
        // metadata
        bad("namespace with upper case", "metadata.namespace", metadata("name: f\nnamespace: Prod")),
        bad("namespace with underscore", "metadata.namespace", metadata("name: f\nnamespace: my_ns")),
        bad("namespace with a dot", "metadata.namespace", metadata("name: f\nnamespace: a.b")),
        bad("namespace starting with '-'", "metadata.namespace", metadata("name: f\nnamespace: \"-ns\"")),
        bad("namespace of 64 characters", "metadata.namespace", metadata("name: f\nnamespace: " + "n".repeat(64))),
        bad("empty namespace", "metadata.namespace", metadata("name: f\nnamespace: \"\"")),
        bad("typo of namespace", "metadata: unknown field \"namepsace\"", metadata("name: f\nnamepsace: prod")),
        // labels and annotations, as the API server checks them
        bad("label key with a space", "metadata.labels[\"my tier\"]", labels("\"my tier\": web")),
        bad("label key with two slashes", "metadata.labels", labels("a/b/c: web")),
        bad("label key with an upper-case prefix", "metadata.labels", labels("Example.com/tier: web")),
        bad("label key with an empty name", "metadata.labels", labels("example.com/: web")),
        bad("label key with an empty prefix", "metadata.labels", labels("/tier: web")),
        bad("label key of 64 characters", "metadata.labels", labels("k".repeat(64) + ": web")),
        bad("label key prefix of 254 characters", "metadata.labels", labels("p".repeat(254) + "/tier: web")),
        bad("label key ending with '-'", "metadata.labels", labels("tier-: web")),
        bad("label value with a space", "metadata.labels[\"tier\"]", labels("tier: \"web app\"")),
        bad("label value of 64 characters", "metadata.labels", labels("tier: " + "v".repeat(64))),
        bad("label value starting with '-'", "metadata.labels", labels("tier: \"-web\"")),
        bad("label value with a slash", "metadata.labels", labels("tier: a/b")),
        bad("label value not ASCII", "metadata.labels", labels("tier: caf\u00e9")),
        bad("annotation key with a space", "metadata.annotations[\"my note\"]",
            metadata("name: f\nannotations:\n  \"my note\": x")),
        bad("annotations over 256 KiB", "metadata.annotations",
            metadata("name: f\nannotations:\n  a: \"" + "x".repeat(200_000) + "\"\n  b: \"" + "y".repeat(70_000) + "\"")),

        bad("server-owned metadata", "metadata: unknown field \"uid\"", metadata("name: f\nuid: abc")),
        bad("metadata as list", "metadata", HEAD + "metadata: [f]\nspec:\n  handler: index.handler\n" + CODE),
        bad("two documents, one name", "metadata.name", spec("") + "---\n" + spec("")),
        bad("two documents, one name, namespace explicit once", "metadata.name",
            spec("") + "---\n" + metadata("name: f\nnamespace: default")),
        // environment
        bad("name twice in env", "spec.env[1].name",
            spec("env:\n- name: A\n  value: \"1\"\n- name: A\n  value: \"2\"")),
        bad("name in environmentVariables and env", "spec.environmentVariables[A]",
            spec("environmentVariables:\n  A: \"1\"\nenv:\n- name: A\n  value: \"2\"")),
        bad("value and valueFrom", "spec.env[0]",
            spec("env:\n- name: A\n  value: \"1\"\n  valueFrom:\n    secretKeyRef: {name: s, key: k}")),
        bad("empty valueFrom", "spec.env[0].valueFrom", spec("env:\n- name: A\n  valueFrom: {}")),
        bad("two sources in valueFrom", "spec.env[0].valueFrom",
            spec("env:\n- name: A\n  valueFrom:\n    secretKeyRef: {name: s, key: k}\n"
                + "    configMapKeyRef: {name: c, key: k}")),
        bad("secretKeyRef without name", "spec.env[0].valueFrom.secretKeyRef.name",
            spec("env:\n- name: A\n  valueFrom:\n    secretKeyRef: {key: k}")),
        bad("configMapKeyRef without key", "spec.env[0].valueFrom.configMapKeyRef.key",
            spec("env:\n- name: A\n  valueFrom:\n    configMapKeyRef: {name: c}")),
        bad("secretKeyRef key with '/'", "spec.env[0].valueFrom.secretKeyRef.key",
            spec("env:\n- name: A\n  valueFrom:\n    secretKeyRef: {name: s, key: a/b}")),
        bad("fieldRef to an unknown field", "spec.env[0].valueFrom.fieldRef.fieldPath",
            spec("env:\n- name: A\n  valueFrom:\n    fieldRef: {fieldPath: spec.secret}")),
        bad("fieldRef as string", "spec.env[0].valueFrom.fieldRef",
            spec("env:\n- name: A\n  valueFrom:\n    fieldRef: metadata.name")),
        bad("resourceFieldRef to an unknown resource", "spec.env[0].valueFrom.resourceFieldRef.resource",
            spec("env:\n- name: A\n  valueFrom:\n    resourceFieldRef: {resource: limits.gpu}")),
        bad("resourceFieldRef with a bad divisor", "spec.env[0].valueFrom.resourceFieldRef.divisor",
            spec("env:\n- name: A\n  valueFrom:\n    resourceFieldRef: {resource: limits.cpu, divisor: abc}")),
        bad("optional as string", "spec.env[0].valueFrom.secretKeyRef.optional",
            spec("env:\n- name: A\n  valueFrom:\n    secretKeyRef: {name: s, key: k, optional: \"yes\"}")),
        bad("typo in an env entry", "spec.env[0]", spec("env:\n- name: A\n  valu: \"1\"")),
        bad("typo in a secretKeyRef", "spec.env[0].valueFrom.secretKeyRef",
            spec("env:\n- name: A\n  valueFrom:\n    secretKeyRef: {name: s, kye: k}")),
        bad("env entry without name", "spec.env[0].name", spec("env:\n- value: \"1\"")),
        bad("env as mapping", "spec.env", spec("env:\n  A: \"1\"")),
        bad("environment value as number", "spec.environmentVariables", spec("environmentVariables:\n  A: 1")),
        bad("environment value as boolean", "spec.environmentVariables",
            spec("environmentVariables:\n  DEBUG: true")),
        bad("environment value as float", "spec.environmentVariables", spec("environmentVariables:\n  A: 1.5")),
        bad("environment value as list", "spec.environmentVariables", spec("environmentVariables:\n  A: [x]")),
        bad("environment value missing", "spec.environmentVariables[A]", spec("environmentVariables:\n  A:")),
        bad("environmentVariables as list", "spec.environmentVariables", spec("environmentVariables:\n- A")),
        bad("environmentVariables as string", "spec.environmentVariables", spec("environmentVariables: A=1")),
        bad("env name with '='", "spec.environmentVariables[A=B]", spec("environmentVariables:\n  A=B: \"1\"")),
        // inline code
        bad("file with no content", "spec.code.inline[lib.py]", inline("lib.py:")),
        bad("file content as number", "spec.code.inline", inline("lib.py: 5")),
        bad("file name over 253 characters", "spec.code.inline[", inline("a".repeat(254) + ": \"\"")),
        bad("path whose key exceeds 253 characters", "spec.code.inline[",
            inline(("d".repeat(61) + "/").repeat(4) + "f.py: \"\"")),
        bad("path 90 folders deep", "90 folders deep", inline("a/".repeat(90) + "f.py: \"\"")),
        bad("file name with a space", "spec.code.inline[my file.py]", inline("\"my file.py\": \"\"")),
        bad("file name not ASCII", "spec.code.inline[é.py]", inline("é.py: \"\"")),
        bad("absolute path", "spec.code.inline[/etc/x]", inline("/etc/x: \"\"")),
        bad("path with ..", "spec.code.inline[a/../b]", inline("a/../b: \"\"")),
        bad("inline as list", "spec.code.inline", specWithoutCode("code:\n  inline: [index.py]")),
        bad("inline as string", "spec.code.inline", specWithoutCode("code:\n  inline: index.py")),
        bad("inline empty", "spec.code.inline", specWithoutCode("code:\n  inline: {}")),
        // YAML features and shapes
        bad("duplicate key", "memorySize", spec("memorySize: 128\nmemorySize: 256")),
        bad("duplicate key in inline code", "index.py", inline("index.py: \"x\"")),
        bad("duplicate key in metadata", "name", metadata("name: f\nname: g")),
        bad("alias", "at key \"B\": the alias *v", spec("environmentVariables:\n  A: &v one\n  B: *v")),
        bad("merge key", "the alias *base", spec("environmentVariables:\n  base: &base {}\n  <<: *base")),
        bad("hook as string", "spec.instanceLifecycleConfig.initializer",
            spec("instanceLifecycleConfig:\n  initializer: index.init")),
        bad("lifecycle as list", "spec.instanceLifecycleConfig", spec("instanceLifecycleConfig: []")),
        bad("code as string", "spec.code", specWithoutCode("code: index.py")),
        bad("spec as list", "spec", HEAD + METADATA + "spec: []\n"),
        bad("unknown spec field", "spec: unknown field \"memmorySize\"", spec("memmorySize: 128")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badInput")
  void badInputExitsTwoWithOneLineNamingTheField(String title, String field, String yaml) throws IOException {
    Path file = dir.resolve("f.yaml");
    Files.writeString(file, yaml);
    assertRefused(file, field);
  }

  static Stream<Arguments> badBytes() {
    byte[] utf16 = (HEAD + METADATA).getBytes(StandardCharsets.UTF_16LE);
    byte[] latin1 = spec("environmentVariables:\n  CITY: \"Zürich\"").getBytes(StandardCharsets.ISO_8859_1);
    byte[] binary = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, (byte) 0xff, (byte) 0xfe};
    return Stream.of(
        Arguments.of("UTF-16", utf16, "not UTF-8 text: byte offset 1"),
        Arguments.of("Latin-1", latin1, "not UTF-8 text: byte offset"),
        Arguments.of("binary", binary, "not UTF-8 text: byte offset"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badBytes")
  void textThatIsNotUtf8IsNamedWithItsOffset(String title, byte[] bytes, String message) throws IOException {
    Path file = dir.resolve("f.yaml");
    Files.write(file, bytes);
    assertRefused(file, message);
  }

  static Stream<Arguments> badFiles() {
    return Stream.of(
        Arguments.of("empty file", "", "holds no FunctionInstance"),
        Arguments.of("only comments", "# nothing\n", "holds no FunctionInstance"),
        Arguments.of("only separators", "---\n---\n", "holds no FunctionInstance"),
        Arguments.of("a scalar document", "hello\n", "document 1 is not a mapping"),
        Arguments.of("a list document", "- a\n- b\n", "document 1 is not a mapping"),
        Arguments.of("another kind", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: f\n", "apiVersion/kind"),
        Arguments.of("kind as mapping", HEAD.replace("kind: FunctionInstance", "kind: {a: 1}") + METADATA,
            "apiVersion/kind"),
        Arguments.of("deep nesting", spec("environmentVariables: " + "[".repeat(5000)), "more than 1000 levels deep"),
        Arguments.of("a 2000-digit number", spec("memorySize: " + "9".repeat(2000)), "spec.memorySize"),
        Arguments.of("unclosed quote", spec("handlerType: \"event"), "not valid YAML"),
        Arguments.of("tab indentation", spec("\ttimeout: 3"), "not valid YAML"),
        Arguments.of("no spec", HEAD + METADATA, "spec: is required"),
        Arguments.of("no metadata", HEAD + "spec:\n  handler: index.handler\n" + CODE, "metadata.name: is required"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badFiles")
  void badFilesExitTwoWithOneLine(String title, String yaml, String message) throws IOException {
    Path file = dir.resolve("f.yaml");
    Files.writeString(file, yaml);
    assertRefused(file, message);
  }

  @Test
  void aDirectoryIsNotAFile() {
    assertRefused(dir, "cannot read");
  }

  @Test
  void anEndlessInputIsCutAt8MiB() {
    assertRefused(Path.of("/dev/zero"), "larger than 8 MiB");
  }

  @Test
  void aFileOver8MiBIsRefusedUnread() throws IOException {
    Path file = dir.resolve("big.yaml");
    Files.writeString(file, spec("") + "# " + "x".repeat(InputText.MAX_BYTES) + "\n");
    assertRefused(file, "larger than 8 MiB");
  }

  /** The YAML parser's cost grows with the square of a line's length: 8 Mi on one line took 34 s and 950 MB. */
  @Test
  void aLineLongerThan2MiIsRefusedAtItsLineBeforeParsing() throws IOException {
    Path file = dir.resolve("f.yaml");
    String text = spec("") + "# " + "x".repeat(FunctionInstanceFile.MAX_LINE_CHARS) + "\n";
    Files.writeString(file, text);
    int line = (int) spec("").lines().count() + 1;
    assertRefused(file, "f.yaml:" + line + ":" + (FunctionInstanceFile.MAX_LINE_CHARS + 1) + ": line " + line
        + " holds " + (FunctionInstanceFile.MAX_LINE_CHARS + 2) + " characters");
  }

  @Test
  void inlineCodeOfNearly1MiBOnOneQuotedLineStillRenders() throws IOException {
    Path file = dir.resolve("f.yaml");
    Files.writeString(file, inline("big.py: \"" + "x = 1\\n".repeat(100_000) + "\""));
    CliRun run = CliRun.of("render", file.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("big.py");
  }

  private static void assertRefused(Path file, String field) {
    assertRefused(field, "render", file.toString());
  }

  /**
   * Runs the command line {@code args} and asserts that it exits 2 with nothing on stdout and one short
   * stderr line holding {@code field}, in the user's words; returns that line.
   */
  static String assertRefused(String field, String... args) {
    CliRun run = CliRun.of(args);
    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().lines()).as(run.err()).hasSize(1);
    String line = run.err().strip();
    assertThat(line).contains(field).doesNotContain("Exception").doesNotContain("java.")
        .doesNotContain("LinkedHashMap").doesNotContain("LifecycleHook");
    assertThat(line.length()).as(line).isLessThan(400);
    return line;
  }

  static Stream<Arguments> validEdges() {
    return Stream.of(
        Arguments.of("the largest bounds", spec("instances: 1000\nmemorySize: 32768\ncpu: 16\ntimeout: 86400")),
        Arguments.of("zero instances", spec("instances: 0")),
        Arguments.of("cpu as whole number", spec("cpu: 2")),
        Arguments.of("quoted environment values", spec("environmentVariables:\n  A: \"1\"\n  B: \"true\"\n  C: \"\"")),
        Arguments.of("an empty file", inline("empty.txt: \"\"")),
        Arguments.of("16 folders deep", inline("a/".repeat(16) + "f.py: \"\"")),
        Arguments.of("valueFrom a Secret", spec("env:\n- name: TOKEN\n  valueFrom:\n    secretKeyRef: {name: s, key: k}")),
        Arguments.of("every valueFrom source", spec("env:\n- name: A\n  valueFrom:\n    fieldRef: {fieldPath: "
            + "\"metadata.labels['app']\"}\n- name: B\n  valueFrom:\n    resourceFieldRef: {resource: limits.memory, "
            + "divisor: 1Mi}\n- name: C\n  valueFrom:\n    configMapKeyRef: {name: c, key: k.json, optional: true}")),
        Arguments.of("one name in two namespaces", spec("") + "---\n" + metadata("name: f\nnamespace: other")),
        Arguments.of("UTF-8 with a byte-order mark", "\ufeff" + spec("")),
        Arguments.of("CRLF line ends", spec("timeout: 3").replace("\n", "\r\n")),
        Arguments.of("an anchor nobody refers to", spec("timeout: &t 3")),
        Arguments.of("numbers in YAML 1.1 notation", spec("memorySize: 0x200")),
        Arguments.of("empty documents around one", "---\n---\n" + spec("") + "---\n"),
        Arguments.of("labels and annotations", metadata("name: f\nnamespace: a\nlabels:\n  tier: web\n"
            + "annotations:\n  note: \"1\"")),
        Arguments.of("labels at their limits", labels("app.kubernetes.io/name: " + "v".repeat(63) + "\n"
            + "p".repeat(253) + "/" + "k".repeat(63) + ": \"\"\nA_b.c-D: X_y.z-9")),
        Arguments.of("annotations with any value", metadata("name: f\nannotations:\n  example.com/json: '{\"a\": [1, 2]}'\n"
            + "  text: \"caf\u00e9 / two words\"")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validEdges")
  void validEdgesStillRender(String title, String yaml) throws IOException {
    Path file = dir.resolve("f.yaml");
    Files.writeString(file, yaml);
    CliRun run = CliRun.of("render", file.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).isEmpty();
  }

  @Test
  void theUsersPythonVariablesWinWithoutDuplicates() throws IOException {
    Path file = dir.resolve("f.yaml");
    Files.writeString(file, spec("environmentVariables:\n  PYTHONUNBUFFERED: \"0\"\nenv:\n"
        + "- name: PYTHONDONTWRITEBYTECODE\n  value: \"\""));
    CliRun run = CliRun.of("render", file.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    var pod = (io.fabric8.kubernetes.api.model.Pod) RenderCommandTest.parse(run.out()).stream()
        .filter(o -> o.getKind().equals("Pod")).findFirst().orElseThrow();
    var env = pod.getSpec().getContainers().get(0).getEnv();
    assertThat(env).filteredOn(e -> e.getName().equals("PYTHONUNBUFFERED")).singleElement()
        .satisfies(e -> assertThat(e.getValue()).isEqualTo("0"));
    assertThat(env).filteredOn(e -> e.getName().equals("PYTHONDONTWRITEBYTECODE")).singleElement()
        .satisfies(e -> assertThat(e.getValue()).isEmpty());
  }
}
