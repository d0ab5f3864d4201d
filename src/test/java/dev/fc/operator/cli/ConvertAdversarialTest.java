package dev.fc.operator.cli;

import dev.fc.operator.manifest.FunctionInstanceFile;
import dev.fc.operator.input.InputText;
import dev.fc.operator.input.InputException;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fc.operator.api.FunctionInstance;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile s.yaml files and project folders, one fault each: convert must exit 2 with one short stderr
 * line "error: file:line:column: ..." naming the fault where it is written, never read a file outside the
 * s.yaml's folder, never expand variables without bound; valid edges must still convert.
 */
class ConvertAdversarialTest {
  /** Read by no case that passes: a case that inlines it has leaked a file from outside the project. */
  private static final String SECRET = "TOKEN=do-not-leak\n";
  private static final String INDEX_PY = "def handler(event, context):\n    return event\n";
  /** An environment variable no machine sets, for ${env('...', 'default')}. */
  private static final String UNSET = "FC_CONVERT_ADVERSARIAL_UNSET";

  @TempDir
  Path dir;
  /** The project: s.yaml and code/index.py. */
  private Path app;
  /** A sibling of the project holding secret.txt, and one whose name starts like the project's. */
  private Path outside;

  @BeforeEach
  void project() throws IOException {
    app = Files.createDirectories(dir.resolve("app"));
    write(app.resolve("code/index.py"), INDEX_PY);
    outside = Files.createDirectories(dir.resolve("outside"));
    write(outside.resolve("secret.txt"), SECRET);
    write(dir.resolve("app-secrets/index.py"), SECRET);
  }

  /** Prepares the project folder (app) next to the folder outside it. */
  @FunctionalInterface
  interface Setup {
    void in(Path app, Path outside) throws IOException;
  }

  private static final Setup NOTHING = (app, outside) -> { };

  /** An fc3 s.yaml with {@code vars} (indented 2) and extra {@code props} (indented 6) after code. */
  static String sYaml(String vars, String code, String props) {
    return "edition: 3.0.0\n"
        + (vars.isEmpty() ? "" : "vars:\n" + vars.indent(2))
        + "resources:\n  f:\n    component: fc3\n    props:\n"
        + ("functionName: f\nruntime: python3.10\nhandler: index.handler\ncode: " + code + "\n" + props).indent(6);
  }

  static String withCode(String code) {
    return sYaml("", code, "");
  }

  static String withVars(String vars, String props) {
    return sYaml(vars, "./code", props);
  }

  /**
   * A case: {@code yaml} in app/s.yaml after {@code setup} is refused with a line holding {@code message},
   * placed on the first line starting with {@code at} (null: the fault has no place, e.g. the whole file).
   */
  static Arguments bad(String title, Setup setup, String yaml, String at, String message) {
    return Arguments.of(title, setup, yaml, at, message);
  }

  private static void write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  private static void write(Path file, byte[] bytes) throws IOException {
    Files.createDirectories(file.getParent());
    Files.write(file, bytes);
  }

  private static Path fifo(Path path) throws IOException {
    Files.createDirectories(path.getParent());
    try {
      Process mkfifo = new ProcessBuilder("mkfifo", path.toString()).redirectErrorStream(true).start();
      assertThat(mkfifo.waitFor()).as(new String(mkfifo.getInputStream().readAllBytes())).isZero();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    return path;
  }

  /** A Unix socket bound at {@code path}; the file stays after the channel is closed. */
  private static void socket(Path path) throws IOException {
    Files.createDirectories(path.getParent());
    try (var channel = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
      channel.bind(java.net.UnixDomainSocketAddress.of(path));
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] both = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }

  private static void link(Path link, String target) throws IOException {
    Files.createDirectories(link.getParent());
    Files.createSymbolicLink(link, Path.of(target));
  }

  // ---------------------------------------------------------------------------------------------------
  // Path traversal: the code folder named in the s.yaml

  static Stream<Arguments> traversal() {
    String code = "      code:";
    return Stream.of(
        bad("parent folder", NOTHING, withCode("../outside"), code, "climbs out of the s.yaml's folder"),
        bad("grandparent", NOTHING, withCode("../.."), code, "climbs out of the s.yaml's folder"),
        bad("down then up out", NOTHING, withCode("./code/../../outside"), code, "climbs out of"),
        bad("sibling whose name starts like the project", NOTHING, withCode("../app-secrets"), code, "climbs out of"),
        bad("absolute path outside", NOTHING, withCode("/etc"), code, "is an absolute path"),
        bad("absolute path to the project's own code", (app, outside) -> { },
            withCode("ABSOLUTE_APP_CODE"), code, "is an absolute path"),
        bad("'..' from a variable", NOTHING, sYaml("dir: ../outside", "${vars.dir}", ""), code, "climbs out of"),
        bad("'..' pieced together from variables", NOTHING, sYaml("up: ..", "${vars.up}/outside", ""), code,
            "climbs out of"),
        bad("absolute path from an environment default", NOTHING, withCode("\"${env('" + UNSET + "', '/etc')}\""),
            code, "is an absolute path"),
        bad("a NUL character", NOTHING, withCode("\"code\\0/x\""), code, "is not a path"),
        bad("home folder shorthand is no expansion", NOTHING, withCode("~/.ssh"), code, "does not exist"),
        bad("backslashes are no separators", NOTHING, withCode("..\\\\outside"), code, "does not exist"),
        bad("'..' after a long detour", NOTHING, withCode("./" + "code/".repeat(0) + "a/b/c/d/../../../../../outside"),
            code, "climbs out of"),
        bad("a code folder that is a FIFO", (app, outside) -> fifo(app.resolve("pipe")), withCode("./pipe"), code,
            "names the folder ./pipe, which is a FIFO (named pipe), not a folder"),
        bad("a code folder that does not exist", NOTHING, withCode("./missing"), code,
            "names the folder ./missing, which does not exist"));
  }

  // Symbolic links: the code folder, and anything under it, at any depth

  static Stream<Arguments> symlinks() {
    String code = "      code:";
    String folder = "names the folder ./code, which holds ";
    return Stream.of(
        bad("code folder is a link outside", (app, outside) -> link(app.resolve("linked"), outside.toString()),
            withCode("./linked"), code, "leads through a symbolic link to"),
        bad("a folder on the way is a link outside", (app, outside) -> link(app.resolve("via"), "../outside"),
            withCode("./via"), code, "leads through a symbolic link to"),
        bad("file linked by absolute path", (app, outside) -> link(app.resolve("code/leak.txt"),
            outside.resolve("secret.txt").toString()), withCode("./code"), code,
            folder + "leak.txt, a symbolic link to"),
        bad("file linked by relative path", (app, outside) -> link(app.resolve("code/leak.txt"),
            "../../outside/secret.txt"), withCode("./code"), code, folder + "leak.txt, a symbolic link to"),
        bad("folder linked outside", (app, outside) -> link(app.resolve("code/lib"), "../../outside"),
            withCode("./code"), code, folder + "lib, a symbolic link to"),
        bad("link three folders deep", (app, outside) -> link(app.resolve("code/a/b/c/leak.txt"),
            outside.resolve("secret.txt").toString()), withCode("./code"), code, folder + "a/b/c/leak.txt"),
        bad("a link to a link outside", (app, outside) -> {
          link(app.resolve("code/first"), "second");
          link(app.resolve("code/second"), "../../outside/secret.txt");
        }, withCode("./code"), code, folder + "first, a symbolic link to"),
        bad("a link to an endless device", (app, outside) -> link(app.resolve("code/zero"), "/dev/zero"),
            withCode("./code"), code, folder + "zero, a symbolic link to /dev/zero, outside"),
        bad("a link to nothing", (app, outside) -> link(app.resolve("code/gone.py"), "missing.py"),
            withCode("./code"), code, folder + "gone.py, a symbolic link to nothing"),
        bad("a link to its own folder", (app, outside) -> link(app.resolve("code/self"), "."),
            withCode("./code"), code, "leads back through a symbolic link"),
        bad("a link to the project above the code", (app, outside) -> link(app.resolve("code/up"), ".."),
            withCode("./code"), code, "leads back through a symbolic link"),
        bad("a link deeper in the code path", (app, outside) -> link(app.resolve("code/lib"), "../../outside"),
            withCode("./code/lib"), code, "leads through a symbolic link to"),
        bad("a link loop", (app, outside) -> {
          link(app.resolve("code/a"), "b");
          link(app.resolve("code/b"), "a");
        }, withCode("./code"), code, folder + "a, a symbolic link that cannot be followed"),
        bad("a link to /proc", (app, outside) -> link(app.resolve("code/environ"), "/proc/self/environ"),
            withCode("./code"), code, folder + "environ, a symbolic link to"),
        bad("a link to a FIFO inside the project", (app, outside) -> {
          fifo(app.resolve("pipe"));
          link(app.resolve("code/pipe"), "../pipe");
        }, withCode("./code"), code, folder + "pipe, a FIFO (named pipe), not a file"),
        bad("a link into a skipped .env", (app, outside) -> {
          write(app.resolve(".env"), SECRET);
          link(app.resolve("code/settings.txt"), "../.env");
        }, withCode("./code"), code, "which convert never reads"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource({"traversal", "symlinks"})
  void nothingOutsideTheSYamlsFolderIsRead(String title, Setup setup, String yaml, String at, String message)
      throws IOException {
    setup.in(app, outside);
    assertRefusedAt(yaml.replace("ABSOLUTE_APP_CODE", app.resolve("code").toString()), at, message);
  }

  // ---------------------------------------------------------------------------------------------------
  // Variables: loops, depth, growth

  /** {@code n} variables v0 .. v(n-1), each using the next, the last using {@code last}. */
  static String chain(int n, String last) {
    return IntStream.range(0, n).mapToObj(i -> "v" + i + ": ${vars." + (i == n - 1 ? last : "v" + (i + 1)) + "}")
        .collect(Collectors.joining("\n"));
  }

  /** l0 = {@code base}, each further level {@code fanOut} copies of the one below, up to l(levels). */
  static String laughs(String base, int levels, int fanOut) {
    StringBuilder vars = new StringBuilder("l0: \"" + base + "\"\n");
    for (int i = 1; i <= levels; i++) {
      vars.append("l").append(i).append(": \"").append(("${vars.l" + (i - 1) + "}").repeat(fanOut)).append("\"\n");
    }
    return vars.toString();
  }

  static Stream<Arguments> variables() {
    String description = "description: ${vars.a}";
    String big = "x".repeat(100);
    String manyUses = ("${vars.big}").repeat(1000);
    String env150 = "environmentVariables:\n" + IntStream.range(0, 150).mapToObj(i -> "  V" + i + ": ${vars.l1}")
        .collect(Collectors.joining("\n"));
    return Stream.of(
        bad("a variable using itself", NOTHING, withVars("a: ${vars.a}", description), "  a:",
            "vars.a uses ${vars.a}, which loops: vars.a -> vars.a"),
        bad("a loop of two", NOTHING, withVars("a: ${vars.b}\nb: ${vars.a}", description), "  b:",
            "vars.b uses ${vars.a}, which loops: vars.a -> vars.b -> vars.a"),
        bad("a loop of three", NOTHING, withVars("a: ${vars.b}\nb: ${vars.c}\nc: ${vars.a}", description), "  c:",
            "loops: vars.a -> vars.b -> vars.c -> vars.a"),
        bad("a loop of sixteen", NOTHING, withVars(chain(16, "v0"), "description: ${vars.v0}"), "  v15:",
            "loops: vars.v0 -> vars.v1 -> vars.v2 -> ... (11 more) -> vars.v14 -> vars.v15 -> vars.v0"),
        bad("a loop inside text", NOTHING, withVars("a: \"x-${vars.b}\"\nb: \"y-${vars.a}\"", description), "  b:",
            "loops: vars.a -> vars.b -> vars.a"),
        bad("a loop the prop enters half-way", NOTHING, withVars("a: ${vars.b}\nb: ${vars.c}\nc: ${vars.b}",
            description), "  c:", "loops: vars.b -> vars.c -> vars.b"),
        bad("a mapping holding itself", NOTHING, withVars("env:\n  A: ${vars.env}", "environmentVariables: "
            + "${vars.env}"), "    A:", "loops: vars.env -> vars.env.A -> vars.env"),
        bad("a list holding itself", NOTHING, withVars("l: [\"${vars.l}\"]", "description: ${vars.l}"), "  l:", "loops: vars.l -> vars.l"),
        bad("keys of one mapping using each other", NOTHING, withVars("a:\n  b: ${vars.a.c}\n  c: ${vars.a.b}",
            "description: ${vars.a.b}"), "    c:", "loops: vars.a.b -> vars.a.c -> vars.a.b"),
        bad("a loop used by the code folder", NOTHING, sYaml("dir: ${vars.dir}", "${vars.dir}", ""), "  dir:",
            "loops: vars.dir -> vars.dir"),
        bad("variables seventeen deep", NOTHING, withVars(chain(16, "end") + "\nend: x", "description: ${vars.v0}"),
            "  v15:", "uses ${vars.end}, a variable 17 levels deep"),
        bad("a loop longer than the depth bound", NOTHING, withVars(chain(40, "v0"), "description: ${vars.v0}"),
            "  v15:", "a variable 17 levels deep"),
        bad("billion laughs: doubling 15 times", NOTHING, withVars(laughs("lol", 15, 2), "description: ${vars.l15}"),
            "  l15:", "is longer than 65536 characters once its variables are filled in (filling in vars.l15)"),
        bad("billion laughs: doubling 30 times stops at the depth bound", NOTHING,
            withVars(laughs("lol", 30, 2), "description: ${vars.l30}"), "  l15:", "a variable 17 levels deep"),
        bad("billion laughs: tenfold 9 times", NOTHING, withVars(laughs("lol", 9, 10), "description: ${vars.l9}"),
            "  l5:", "is longer than 65536 characters"),
        bad("one value using a variable a thousand times", NOTHING, withVars("big: " + big, "description: \""
            + manyUses + "\""), "      description:", "is longer than 65536 characters"),
        bad("many values, each under the bound, beyond the total", NOTHING, withVars(laughs(big, 1, 600), env150),
            "        V138:", "longer than 8388608 characters in all"),
        bad("a big mapping used whole a thousand times", NOTHING, withVars(laughs(big, 1, 600) + "m:\n  A: ${vars.l1}\n"
            + "many:\n" + IntStream.range(0, 1000).mapToObj(i -> "  - ${vars.m} # " + i + "\n").collect(Collectors.joining()),
            "description: x\nenvironmentVariables: ${vars.many}"),
            // 60 003 characters each: the 138th passes 8 Mi; without the count, 60 MB in the output
            "    - ${vars.m} # 137", "vars.many[137] makes the values filled in from variables longer than 8388608"),
        bad("a long environment default used twice", NOTHING, withVars("e: \"${env('" + UNSET + "', '"
            + "e".repeat(40_000) + "')}\"", "description: \"${vars.e}${vars.e}\""), "      description:",
            "is longer than 65536 characters"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("variables")
  void variablesAreBounded(String title, Setup setup, String yaml, String at, String message) throws IOException {
    setup.in(app, outside);
    assertRefusedAt(yaml, at, message);
  }

  // ---------------------------------------------------------------------------------------------------
  // YAML shapes: nesting, anchors, sizes of one token

  static Stream<Arguments> yamlShapes() {
    String blockMappings = IntStream.range(0, 150).mapToObj(i -> "  ".repeat(i + 1) + "k:")
        .collect(Collectors.joining("\n"));
    return Stream.of(
        bad("5000 open lists", NOTHING, "edition: 3.0.0\nvars:\n  x: " + "[".repeat(5000) + "\n", "  x:",
            "vars.x[0][0]...: nests mappings and lists more than 100 levels deep"),
        bad("150 block mappings", NOTHING, "edition: 3.0.0\nvars:\n" + blockMappings + "\n", "  " + "  ".repeat(100),
            "nests mappings and lists more than 100 levels deep"),
        bad("200 flow mappings in a prop", NOTHING, withVars("", "environmentVariables: " + "{a: ".repeat(200)
            + "1" + "}".repeat(200)), "      environmentVariables:", "more than 100 levels deep"),
        bad("anchors doubling (YAML's billion laughs)", NOTHING, withVars("a: &a [lol, lol]\nb: &b [*a, *a]",
            "description: x"), "  b:", "the alias *a is not supported"),
        bad("a key of 60000 characters", NOTHING, withVars("k" + "x".repeat(60_000) + ": 1", ""), "  k",
            "the key before this ':' holds 60001 characters; YAML reads a key of at most 1024 on one line"),
        bad("a key of 1100 characters in a flow mapping", NOTHING, withVars("a: {k" + "x".repeat(1099) + ": 1}", ""),
            "  a:", "the key before this ':' holds 1100 characters"),
        bad("a value of 4 Mi characters on one line", NOTHING, withVars("", "description: " + "d".repeat(4 << 20)),
            "      description:", "holds 4194323 characters, more than the 65536 (64 Ki) convert reads on one line"),
        bad("a comment line of 65537 characters", NOTHING, withCode("./code") + "#" + "c".repeat(65_536) + "\n",
            "#", ":65537: line 10 holds 65537 characters"),
        bad("a key written twice", NOTHING, withVars("", "handler: other.handler"), "      handler: other",
            "resources.f.props.handler is written twice (first on line 8): keep one"),
        bad("an alias in a prop", NOTHING, "edition: &e 3.0.0\n" + withCode("./code").replace("runtime: python3.10",
            "runtime: *e").substring("edition: 3.0.0\n".length()), "      runtime:", "the alias *e is not supported"),
        bad("a scalar document", NOTHING, "hello\n", "hello", "an s.yaml must be a mapping"),
        bad("a list document", NOTHING, "- edition: 3.0.0\n", "- ", "an s.yaml must be a mapping"),
        bad("only a comment", NOTHING, "# nothing\n", "#", "is empty"),
        bad("a 2000-digit memory size", NOTHING, withVars("", "memorySize: " + "9".repeat(2000)), "      memorySize:",
            "must be a whole number, got \"999"),
        bad("a tab for indentation", NOTHING, withVars("", "\ttimeout: 3"), "      \t", "a tab indents this line"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("yamlShapes")
  void badYamlShapesArePlaced(String title, Setup setup, String yaml, String at, String message) throws IOException {
    setup.in(app, outside);
    assertRefusedAt(yaml, at, message);
  }

  // ---------------------------------------------------------------------------------------------------
  // Code folders: sizes, names, depth, binary and odd encodings

  static Stream<Arguments> codeFolders() {
    String code = "      code:";
    String folder = "names the folder ./code, which holds ";
    return Stream.of(
        bad("1001 files", (app, outside) -> {
          for (int i = 0; i < 1001; i++) {
            write(app.resolve("code/f" + i + ".txt"), "");
          }
        }, withCode("./code"), code, "more than 1000 files"),
        bad("a file over 1 MiB", (app, outside) -> write(app.resolve("code/data.txt"), "a".repeat(1 << 20)),
            withCode("./code"), code, "(largest: data.txt, 1048576 bytes), more than inline code can carry"),
        bad("a sparse file of 2 GiB, refused unread", (app, outside) -> {
          try (RandomAccessFile file = new RandomAccessFile(app.resolve("code/huge.bin").toFile(), "rw")) {
            file.setLength(2L << 30);
          }
        }, withCode("./code"), code, "huge.bin, 2147483648 bytes"),
        bad("a binary file", (app, outside) -> write(app.resolve("code/lib/native.so"),
            new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0}), withCode("./code"), code,
            "holds a binary file, lib/native.so (a NUL byte at byte offset 7)"),
        bad("a UTF-16 file with a byte-order mark", (app, outside) -> write(app.resolve("code/util.py"),
            "\ufeffX = 1\n".getBytes(StandardCharsets.UTF_16LE)), withCode("./code"), code,
            folder + "util.py, which is not UTF-8 text (line 1, column 1: byte offset 0 (0xff) is not valid UTF-8, "
                + "a UTF-16 byte-order mark)"),
        bad("a UTF-16 file without a byte-order mark", (app, outside) -> write(app.resolve("code/util.py"),
            "X = 1\n".getBytes(StandardCharsets.UTF_16LE)), withCode("./code"), code,
            "holds a binary file, util.py (a NUL byte at byte offset 1)"),
        bad("a Latin-1 file", (app, outside) -> write(app.resolve("code/cities.py"),
            "# cities\nA = 'Z\u00fcrich'\n".getBytes(StandardCharsets.ISO_8859_1)), withCode("./code"), code,
            folder + "cities.py, which is not UTF-8 text (line 2, column 7"),
        bad("a folder 17 deep", (app, outside) -> write(app.resolve("code/" + "d/".repeat(17) + "f.py"), ""),
            withCode("./code"), code, "a folder 17 levels deep"),
        bad("a file name of 254 characters", (app, outside) -> write(app.resolve("code/" + "n".repeat(254)), ""),
            withCode("./code"), code, "which is 254 characters long; a path may hold at most 253 characters"),
        bad("a path longer than a ConfigMap key", (app, outside) -> write(app.resolve("code/"
            + ("d".repeat(61) + "/").repeat(4) + "f.py"), ""), withCode("./code"), code, "which is 252 characters long; a "
            + "path may hold at most 253 characters, counting one more per folder"),
        bad("a file name with a space", (app, outside) -> write(app.resolve("code/my notes.txt"), ""),
            withCode("./code"), code, "my notes.txt, which is not a file path inline code can hold"),
        bad("a file name starting with '-'", (app, outside) -> write(app.resolve("code/-rf.py"), ""),
            withCode("./code"), code, "-rf.py, which is not a file path inline code can hold"),
        bad("a file name holding '..'", (app, outside) -> write(app.resolve("code/a..b.py"), ""),
            withCode("./code"), code, "a..b.py, which is not a file path inline code can hold"),
        bad("a file name that is not ASCII", (app, outside) -> write(app.resolve("code/caf\u00e9.py"), ""),
            withCode("./code"), code, "caf\u00e9.py, which is not a file path inline code can hold"),
        bad("a folder name with a space", (app, outside) -> write(app.resolve("code/my lib/x.py"), ""),
            withCode("./code"), code, "my lib/x.py, which is not a file path inline code can hold"),
        bad("a FIFO", (app, outside) -> fifo(app.resolve("code/lib/events")), withCode("./code"), code,
            folder + "lib/events, a FIFO (named pipe), not a file: convert reads regular files only"),
        bad("a Unix socket", (app, outside) -> socket(app.resolve("code/s")), withCode("./code"), code,
            folder + "s, a socket, not a file"),
        bad("a FIFO named like skipped bytecode", (app, outside) -> fifo(app.resolve("code/x.pyc")),
            withCode("./code"), code, folder + "x.pyc, a FIFO (named pipe)"),
        bad("a folder of junk only", (app, outside) -> write(app.resolve("empty/.git/HEAD"), "ref\n"),
            withCode("./empty"), code, "holds no files to convert"),
        bad("a zip file", (app, outside) -> write(app.resolve("code.zip"), "PK"), withCode("./code.zip"), code,
            "is a file, not a folder"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("codeFolders")
  void codeFoldersAreBounded(String title, Setup setup, String yaml, String at, String message) throws IOException {
    setup.in(app, outside);
    assertRefusedAt(yaml, at, message);
  }

  // ---------------------------------------------------------------------------------------------------
  // The s.yaml's own bytes

  static Stream<Arguments> sYamlBytes() {
    String valid = withCode("./code");
    byte[] latin1 = withVars("", "description: Z\u00fcrich").getBytes(StandardCharsets.ISO_8859_1);
    byte[] utf16Bom = ("\ufeff" + valid).getBytes(StandardCharsets.UTF_16LE);
    byte[] utf16 = valid.getBytes(StandardCharsets.UTF_16LE);
    byte[] binary = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, (byte) 0xff};
    return Stream.of(
        Arguments.of("Latin-1 on line 10", latin1, ":10:21: is not UTF-8 text: byte offset 177 (0xfc)"),
        Arguments.of("UTF-16 with a byte-order mark", utf16Bom, ":1:1: is not UTF-8 text: byte offset 0 (0xff) is not "
            + "valid UTF-8, a UTF-16 byte-order mark"),
        Arguments.of("UTF-16 without a byte-order mark", utf16, ":1:2: is not UTF-8 text: byte offset 1 holds a NUL"),
        Arguments.of("binary", binary, ":1:9: is not UTF-8 text: byte offset 8 (0xff) is not valid UTF-8"),
        Arguments.of("a NUL on line 5", (valid.substring(0, 60) + "\0" + valid.substring(60))
            .getBytes(StandardCharsets.UTF_8), ":5:" + (60 - valid.substring(0, 60).lastIndexOf('\n')) + ": is not UTF-8 "
            + "text: byte offset 60 holds a NUL byte"),
        Arguments.of("an encoded surrogate", concat(valid.getBytes(StandardCharsets.UTF_8),
            new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}), ":10:1: is not UTF-8 text: byte offset " + valid.length()
            + " (0xed) is not valid UTF-8"),
        Arguments.of("a sequence cut at the end", concat(valid.getBytes(StandardCharsets.UTF_8),
            new byte[] {(byte) 0xe2, (byte) 0x82}), ":10:1: is not UTF-8 text: byte offset " + valid.length()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sYamlBytes")
  void anSYamlThatIsNotUtf8IsPlacedAtItsFirstBadByte(String title, byte[] bytes, String message) throws IOException {
    Path sYaml = app.resolve("s.yaml");
    Files.write(sYaml, bytes);
    String line = RenderAdversarialTest.assertRefused(message, "convert", sYaml.toString());
    assertThat(line).startsWith("error: " + sYaml + ":");
  }

  @Test
  void anSYamlOver8MiBIsRefusedUnread() throws IOException {
    Path sYaml = app.resolve("s.yaml");
    Files.writeString(sYaml, withCode("./code") + "# " + "x".repeat(InputText.MAX_BYTES) + "\n");
    RenderAdversarialTest.assertRefused(sYaml + ": is larger than 8 MiB", "convert", sYaml.toString());
  }

  @Test
  void anEndlessSYamlIsCutAt8MiB() {
    RenderAdversarialTest.assertRefused("/dev/zero: is larger than 8 MiB (8388608 bytes; nothing beyond was read)",
        "convert", "/dev/zero");
  }

  @Test
  void anEndlessFifoIsCutAt8MiB() throws Exception {
    Path sYaml = fifo(app.resolve("s.yaml"));
    Thread writer = new Thread(() -> {
      byte[] chunk = ("# " + "x".repeat(1000) + "\n").getBytes(StandardCharsets.UTF_8);
      try (var out = Files.newOutputStream(sYaml)) {
        while (true) {
          out.write(chunk);
        }
      } catch (IOException e) {
        // convert stopped reading: the pipe is broken, as it should be
      }
    });
    writer.setDaemon(true);
    writer.start();
    RenderAdversarialTest.assertRefused(sYaml + ": is larger than 8 MiB", "convert", sYaml.toString());
    writer.join(10_000);
    assertThat(writer.isAlive()).as("the writer is released when convert stops reading").isFalse();
  }

  @Test
  void aFolderOrNothingInsteadOfAnSYamlIsNamed() {
    RenderAdversarialTest.assertRefused(app + ": cannot read: Is a directory", "convert", app.toString());
    RenderAdversarialTest.assertRefused(app.resolve("none.yaml") + ": no such file", "convert",
        app.resolve("none.yaml").toString());
  }

  @Test
  void anOutputFolderThatIsAFileIsNamed() throws IOException {
    Files.writeString(app.resolve("s.yaml"), withCode("./code"));
    Path out = Files.writeString(dir.resolve("out"), "");
    RenderAdversarialTest.assertRefused(out + ": cannot create the folder: a file of that name is in the way",
        "convert", app.resolve("s.yaml").toString(), "-o", out.toString());
  }

  // ---------------------------------------------------------------------------------------------------
  // Valid edges: converted, with the expected content

  @Test
  void aSymlinkedProjectFolderIsTheProjectFolder() throws IOException {
    Files.writeString(app.resolve("s.yaml"), withCode("./code"));
    Path alias = Files.createSymbolicLink(dir.resolve("alias"), app);
    assertThat(converted(alias.resolve("s.yaml"))).containsExactly(Map.entry("index.py", INDEX_PY));
  }

  @Test
  void anSYamlLinkedFromElsewhereReadsCodeBesideTheLink() throws IOException {
    Files.writeString(app.resolve("s.yaml"), withCode("./code"));
    Path other = Files.createDirectories(dir.resolve("other"));
    write(other.resolve("code/index.py"), "# other\n" + INDEX_PY);
    Path sYaml = Files.createSymbolicLink(other.resolve("s.yaml"), app.resolve("s.yaml"));
    assertThat(converted(sYaml)).containsExactly(Map.entry("index.py", "# other\n" + INDEX_PY));
  }

  @Test
  void linksThatStayInsideTheProjectAreFollowed() throws IOException {
    write(app.resolve("shared/util.py"), "X = 1\n");
    link(app.resolve("code/lib"), "../shared");
    link(app.resolve("code/util_alias.py"), "../shared/util.py");
    Files.writeString(app.resolve("s.yaml"), withCode("./code"));
    assertThat(converted(app.resolve("s.yaml"))).containsOnlyKeys("index.py", "lib/util.py", "util_alias.py")
        .containsEntry("lib/util.py", "X = 1\n");
  }

  @Test
  void dotsThatStayInsideAreAccepted() throws IOException {
    Files.writeString(app.resolve("s.yaml"), withCode("./code/../code/."));
    assertThat(converted(app.resolve("s.yaml"))).containsOnlyKeys("index.py");
  }

  @Test
  void aLoopInAVariableNobodyUsesIsNotAnError() throws IOException {
    Files.writeString(app.resolve("s.yaml"), withVars("a: ${vars.b}\nb: ${vars.a}", ""));
    assertThat(converted(app.resolve("s.yaml"))).containsOnlyKeys("index.py");
  }

  @Test
  void variablesSixteenDeepAndAValueOfExactly64KiBConvert() throws IOException {
    String half = "h".repeat(32 * 1024);
    Files.writeString(app.resolve("s.yaml"), withVars(chain(15, "end") + "\nend: " + half,
        "description: ${vars.v0}${vars.end}"));
    FunctionInstance fi = convertedInstance(app.resolve("s.yaml"));
    assertThat(fi.getMetadata().getAnnotations().get("fc.dev/description")).hasSize(64 * 1024);
  }

  @Test
  void aWideButEmptyExpansionIsFilledInOnce() throws IOException {
    // 10^12 evaluations if each use were filled in again; each variable is filled in once
    Files.writeString(app.resolve("s.yaml"), withVars(laughs("", 12, 10), "description: \"[${vars.l12}]\""));
    FunctionInstance fi = convertedInstance(app.resolve("s.yaml"));
    assertThat(fi.getMetadata().getAnnotations()).containsEntry("fc.dev/description", "[]");
  }

  @Test
  void aBigMappingUsedByManyFunctionsIsSharedNotCopied() throws IOException {
    String env = IntStream.range(0, 200).mapToObj(i -> "V" + i + ": \"" + "v".repeat(100) + "\"")
        .collect(Collectors.joining("\n"));
    StringBuilder text = new StringBuilder("edition: 3.0.0\nvars:\n  env:\n" + env.indent(4) + "resources:\n");
    for (int i = 0; i < 20; i++) {
      text.append(("f" + i + ":\n  component: fc3\n  props:\n    functionName: f" + i + "\n    runtime: python3.10\n"
          + "    handler: index.handler\n    code: ./code\n    environmentVariables: ${vars.env}\n").indent(2));
    }
    Files.writeString(app.resolve("s.yaml"), text);
    CliRun run = CliRun.of("convert", app.resolve("s.yaml").toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out().split("\nkind: FunctionInstance\n", -1)).hasSize(21);
  }

  @Test
  void whatIsLeftAsWrittenIsLeftAsWritten() throws IOException {
    String longName = "n".repeat(5000);
    Files.writeString(app.resolve("s.yaml"), withVars("m:\n  x: 1\na: ${vars.m}", "environmentVariables:\n"
        + "  UNDEFINED: \"<${vars.nope}>\"\n  UNSET: \"<${env." + UNSET + "}>\"\n  CONFIG: \"<${config('AccountID')}>\"\n"
        + "  MAPPING: \"<${vars.m}>\"\n  INDIRECT: \"<${vars.a}>\"\n  LONG: \"<${vars." + longName + "}>\""));
    CliRun run = CliRun.of("convert", app.resolve("s.yaml").toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err().lines()).hasSize(6).allSatisfy(line -> assertThat(line).startsWith("warning: ")
        .endsWith("; left as it is").hasSizeLessThan(400));
    assertThat(run.err()).contains("INDIRECT uses ${vars.a} inside text, but vars.a is filled in with a mapping");
    Path out = Files.writeString(dir.resolve("converted.yaml"), run.out());
    try {
      assertThat(FunctionInstanceFile.read(out).get(0).getSpec().getEnvironmentVariables())
          .containsEntry("UNDEFINED", "<${vars.nope}>").containsEntry("UNSET", "<${env." + UNSET + "}>")
          .containsEntry("CONFIG", "<${config('AccountID')}>").containsEntry("MAPPING", "<${vars.m}>")
          .containsEntry("INDIRECT", "<${vars.a}>").containsEntry("LONG", "<${vars." + longName + "}>");
    } catch (InputException e) {
      throw new AssertionError("render refuses what convert wrote: " + e.getMessage(), e);
    }
  }

  @Test
  void pathsAtTheBoundsConvert() throws IOException {
    write(app.resolve("code/" + "n".repeat(253)), "");
    write(app.resolve("code/" + ("d".repeat(60) + "/").repeat(4) + "f".repeat(249 - 4 * 61 - 4)), "");
    for (int i = 0; i < 997; i++) {
      write(app.resolve("code/many/f" + i + ".py"), "");
    }
    Files.writeString(app.resolve("s.yaml"), withCode("./code"));
    assertThat(converted(app.resolve("s.yaml"))).hasSize(1000).containsKey("n".repeat(253));
  }

  @Test
  void oddButValidBytesConvert() throws IOException {
    String longLine = "# " + "c".repeat(dev.fc.operator.convert.SYamlDocument.MAX_LINE_CHARS - 2) + "\n";
    String manyLines = ("# " + "c".repeat(78) + "\n").repeat(50_000);
    for (String text : List.of("\ufeff" + withCode("./code"), withCode("./code").replace("\n", "\r\n"),
        withCode("./code") + longLine, withCode("./code") + manyLines)) {
      Files.writeString(app.resolve("s.yaml"), text);
      assertThat(converted(app.resolve("s.yaml"))).containsOnlyKeys("index.py");
    }
    write(app.resolve("code/bom.py"), "\ufeffX = 1\n");
    write(app.resolve("code/crlf.py"), "X = 1\r\n");
    write(app.resolve("code/emoji.txt"), "\ud83d\ude04\n");
    write(app.resolve("code/" + "d/".repeat(16) + "deep.py"), "");
    assertThat(converted(app.resolve("s.yaml"))).containsEntry("bom.py", "\ufeffX = 1\n")
        .containsEntry("crlf.py", "X = 1\r\n").containsEntry("emoji.txt", "\ud83d\ude04\n")
        .containsKey("d/".repeat(16) + "deep.py");
  }

  // ---------------------------------------------------------------------------------------------------

  private Map<String, String> converted(Path sYaml) throws IOException {
    return convertedInstance(sYaml).getSpec().getCode().getInline();
  }

  private FunctionInstance convertedInstance(Path sYaml) throws IOException {
    CliRun run = CliRun.of("convert", sYaml.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out()).doesNotContain(SECRET.strip());
    Path out = Files.writeString(dir.resolve("converted.yaml"), run.out());
    try {
      List<FunctionInstance> instances = FunctionInstanceFile.read(out);
      assertThat(instances).hasSize(1);
      return instances.get(0);
    } catch (InputException e) {
      throw new AssertionError("render refuses what convert wrote: " + e.getMessage(), e);
    }
  }

  private static final Pattern PLACE = Pattern.compile("^error: (.+?):(\\d+):(\\d+): ");

  /** app/s.yaml holding {@code yaml} is refused with one line at the first line starting with {@code at}. */
  private void assertRefusedAt(String yaml, String at, String message) throws IOException {
    Path sYaml = app.resolve("s.yaml");
    Files.writeString(sYaml, yaml);
    String line = RenderAdversarialTest.assertRefused(message, "convert", sYaml.toString());
    assertThat(line).doesNotContain(SECRET.strip());
    Matcher place = PLACE.matcher(line);
    assertThat(place.find()).as(line).isTrue();
    assertThat(place.group(1)).isEqualTo(sYaml.toString());
    List<String> lines = yaml.lines().toList();
    int expected = IntStream.range(0, lines.size()).filter(i -> lines.get(i).startsWith(at)).findFirst()
        .orElseThrow(() -> new AssertionError("no line starts with \"" + at + "\"")) + 1;
    assertThat(Integer.parseInt(place.group(2))).as(line).isEqualTo(expected);
  }
}
