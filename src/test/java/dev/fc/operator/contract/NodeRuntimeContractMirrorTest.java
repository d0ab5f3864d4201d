package dev.fc.operator.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link RuntimeContractMirrorTest}'s comparison for the Node.js runtime (src/main/resources/fc-runtime-node/): what
 * this package says against what the Node.js runtime reads, answers and exits with, parsed from its sources (string
 * literals, {@code env.FC_*} reads and module constants, comments left out). A name, default, path, header, exit
 * reason or status changed on one side only fails here, naming the side that differs.
 */
class NodeRuntimeContractMirrorTest {
  private static final Path RUNTIME = Path.of("src/main/resources/fc-runtime-node");
  private static final Path PYTHON_RUNTIME = Path.of("src/main/resources/fc-runtime");
  /** A JavaScript string literal without escapes or substitutions: '...', "..." or `...`. */
  private static final Pattern STRING = Pattern.compile("'([^'\\\\\\n]*)'|\"([^\"\\\\\\n]*)\"|`([^`\\\\$]*)`");
  private static final Pattern FC_NAME = Pattern.compile("FC_[A-Z0-9_]+");
  /** {@code env.FC_X} or {@code process.env.FC_X}: a variable read by property. */
  private static final Pattern ENV_READ = Pattern.compile("\\benv\\.(FC_[A-Z0-9_]+)");
  /** {@code const NAME = 'text';} or {@code const NAME = 4;} at the start of a line. */
  private static final Pattern CONSTANT =
      Pattern.compile("(?m)^const ([A-Z][A-Z0-9_]*) = ('[^']*'|\"[^\"]*\"|\\d+);");
  private static final Pattern EXIT_KIND = Pattern.compile("exitKind\\(\\s*'([A-Za-z]+)'\\s*,\\s*(\\d+)\\s*\\)");
  /** The variables only the custom runtimes' adapter (a Python program) reads. */
  private static final Set<String> ADAPTER_ONLY = Set.of(RuntimeEnv.CUSTOM_LISTEN_PORT);

  private static Map<String, String> sources;

  @BeforeAll
  static void read() throws IOException {
    sources = new TreeMap<>();
    try (Stream<Path> files = Files.list(RUNTIME)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".js") || f.toString().endsWith(".mjs")).toList()) {
        sources.put(file.getFileName().toString(), withoutComments(Files.readString(file)));
      }
    }
    assertThat(sources).containsKeys("bootstrap.js", "fc_config.js", "fc_probes.js", "fc_invoke.js", "fc_exits.js");
  }

  @Test
  void theIndexListsEveryFileOfTheRuntimeAndOnlyThose() throws IOException {
    List<String> index = Files.readAllLines(RUNTIME.resolve("INDEX")).stream().map(String::strip)
        .filter(l -> !l.isEmpty()).toList();
    try (Stream<Path> files = Files.list(RUNTIME)) {
      List<String> present = files.map(p -> p.getFileName().toString()).filter(n -> !n.equals("INDEX")).toList();
      assertThat(index).doesNotHaveDuplicates().contains("bootstrap.js").containsExactlyInAnyOrderElementsOf(present);
    }
    assertThat(index).as("ConfigMap keys").allMatch(n -> n.matches("[-._a-zA-Z0-9]+"));
  }

  @Test
  void theFcVariablesAreTheContractsButTheAdaptersOwn() {
    Set<String> java = ContractConstants.strings(RuntimeEnv.class).values().stream().filter(v -> FC_NAME.matcher(v).matches())
        .filter(v -> !ADAPTER_ONLY.contains(v)).collect(Collectors.toCollection(TreeSet::new));
    Set<String> node = Stream.concat(strings().filter(s -> FC_NAME.matcher(s).matches()),
        sources.values().stream().flatMap(t -> ENV_READ.matcher(t).results().map(m -> m.group(1))))
        .collect(Collectors.toCollection(TreeSet::new));
    assertThat(java).as("FC_* names the Node.js runtime reads but RuntimeEnv lacks").containsAll(node);
    assertThat(node).as("FC_* names of RuntimeEnv the Node.js runtime never reads").containsAll(java);
  }

  @Test
  void everyDefaultPortIsTheContractsPort() {
    Map.of(RuntimeEnv.SERVER_PORT, RuntimePorts.INVOKE, RuntimeEnv.LIFECYCLE_PORT, RuntimePorts.LIFECYCLE)
        .forEach((variable, port) -> {
          List<String> reads = sources.values().stream().flatMap(String::lines)
              .filter(l -> l.contains("'" + variable + "'")).toList();
          assertThat(reads).as("where the Node.js runtime reads " + variable).isNotEmpty();
          for (String read : reads) {
            Matcher number = Pattern.compile("\\b(\\d{2,5})\\b").matcher(read.substring(read.indexOf(variable)));
            assertThat(number.find()).as("a default port after %s in: %s", variable, read).isTrue();
            assertThat(Integer.parseInt(number.group(1))).as("the default of %s in: %s", variable, read)
                .isEqualTo(port);
          }
        });
  }

  @Test
  void theDefaultCodePathAndQualifierAreWhatThePodSets() {
    assertThat(defaultOf(RuntimeEnv.FUNC_CODE_PATH)).isEqualTo(RuntimePaths.FUNC_CODE_PATH);
    assertThat(defaultOf(RuntimeEnv.QUALIFIER)).isEqualTo(RuntimeEnv.LATEST_QUALIFIER);
  }

  /** Both runtimes take the same defaults and minima for the numbers they read ({@code int(env, NAME, 3, 1)}). */
  @Test
  void theNumericDefaultsAndMinimaAreThePythonRuntimes() throws IOException {
    Pattern node = Pattern.compile("\\bint\\(env, '(FC_[A-Z0-9_]+)', (\\d+), (\\d+)\\)");
    Pattern python = Pattern.compile("_int\\(env, \"(FC_[A-Z0-9_]+)\", (\\d+), (\\d+)\\)");
    Map<String, String> nodeReads = new TreeMap<>();
    sources.values().forEach(t -> node.matcher(t).results().forEach(m -> nodeReads.put(m.group(1),
        m.group(2) + " min " + m.group(3))));
    Map<String, String> pythonReads = new TreeMap<>();
    python.matcher(Files.readString(PYTHON_RUNTIME.resolve("fc_config.py"))).results()
        .filter(m -> !ADAPTER_ONLY.contains(m.group(1)))
        .forEach(m -> pythonReads.put(m.group(1), m.group(2) + " min " + m.group(3)));
    assertThat(nodeReads).as("the Node.js runtime's literal defaults").hasSizeGreaterThanOrEqualTo(7)
        .isEqualTo(pythonReads);
  }

  @Test
  void theLifecycleEndpointsAndTheirSecretAreTheContracts() {
    assertThat(comparedPaths(sources.get("fc_probes.js"))).as("the paths fc_probes.js serves")
        .containsExactlyInAnyOrder(LifecycleEndpoints.STARTUP, LifecycleEndpoints.READY, LifecycleEndpoints.PRE_STOP);
    assertThat(constant("TOKEN_HEADER")).isEqualTo(LifecycleEndpoints.TOKEN_HEADER);
    assertThat(constant("TOKEN_PARAMETER")).isEqualTo(LifecycleEndpoints.TOKEN_QUERY_PARAMETER);
    assertThat(constant("TEMPLATE_TOKEN")).isEqualTo(LifecycleEndpoints.TOKEN_PLACEHOLDER);
    assertThat(constant("LIFECYCLE_TOKEN")).isEqualTo(RuntimeEnv.LIFECYCLE_TOKEN);
    assertThat(comparedPaths(sources.get("fc_invoke.js"))).as("the path of an event function in fc_invoke.js")
        .containsExactly(InvocationEndpoint.EVENT_PATH);
  }

  @Test
  void theHeadersAreTheContracts() {
    Set<String> java = Stream.of(InvocationEndpoint.ERROR_TYPE_HEADER, InvocationEndpoint.REQUEST_ID_HEADER,
        LifecycleEndpoints.TOKEN_HEADER).map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    Set<String> node = strings().map(s -> s.toLowerCase(Locale.ROOT)).filter(s -> s.matches("x-fc-[a-z-]*[a-z]"))
        .collect(Collectors.toSet());
    assertThat(node).as("the Node.js runtime's x-fc-* headers against the contract's").isEqualTo(java);
  }

  @Test
  void theExitReasonsAndTheirStatusesAreExitReasons() {
    sources.forEach((file, code) -> {
      assertThat(code).as(file + " claims an exit by a literal, not an fc_exits kind")
          .doesNotContainPattern("\\.claim\\(\\s*['\"`\\d{]");
      assertThat(code).as(file + " ends the process itself, not through fc_termination's Exit")
          .doesNotContainPattern(file.equals("fc_termination.js") ? "process\\.exit\\(\\s*\\d" : "process\\.exit\\(");
      if (!file.equals("fc_exits.js")) {
        assertThat(code).as(file + " makes an exit kind outside fc_exits.js").doesNotContain("exitKind(");
      }
    });
    Map<String, Set<Integer>> node = new TreeMap<>();
    EXIT_KIND.matcher(sources.get("fc_exits.js")).results().forEach(m ->
        node.computeIfAbsent(m.group(1), r -> new TreeSet<>()).add(Integer.parseInt(m.group(2))));
    Map<String, Set<Integer>> java = new TreeMap<>();
    for (ExitReason reason : ExitReason.values()) {
      java.put(reason.text(), Set.of(reason.exitStatus()));
    }
    assertThat(node).as("the Node.js runtime's exit reasons and statuses against ExitReason").isEqualTo(java);
  }

  @Test
  void theRuntimeSpellsEveryHookStatus() {
    Set<String> node = strings().collect(Collectors.toSet());
    assertThat(node).as("hook statuses the Node.js runtime never spells")
        .containsAll(ContractConstants.strings(HookStatus.class).values());
  }

  @Test
  void theContainersCommandRunsTheRuntimesEntryPoint() {
    assertThat(RuntimeContainer.NODE_COMMAND).containsExactly("node", RuntimePaths.RUNTIME_DIR + "/bootstrap.js");
    assertThat(sources).containsKey(Path.of(RuntimeContainer.NODE_COMMAND.get(1)).getFileName().toString());
  }

  // --- the Node.js side, parsed

  /** The text without its comments ({@code // ...} lines and ends of lines, {@code /* ... *}{@code /}). */
  private static String withoutComments(String text) {
    String noBlocks = Pattern.compile("/\\*.*?\\*/", Pattern.DOTALL).matcher(text).replaceAll("");
    return noBlocks.lines().map(line -> {
      String stripped = line.strip();
      if (stripped.startsWith("//")) {
        return "";
      }
      int comment = line.indexOf(" // ");
      return comment >= 0 && !line.substring(0, comment).contains("`") ? line.substring(0, comment) : line;
    }).collect(Collectors.joining("\n"));
  }

  private static Stream<String> strings() {
    return sources.values().stream().flatMap(text -> STRING.matcher(text).results()
        .map(m -> m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3)));
  }

  /** The literal default of {@code text(env, 'NAME', 'default')}: the argument after the name. */
  private static String defaultOf(String variable) {
    Pattern read = Pattern.compile("'" + variable + "'\\s*,\\s*'([^']*)'");
    List<String> defaults = sources.values().stream().flatMap(text -> read.matcher(text).results())
        .map(m -> m.group(1)).distinct().toList();
    assertThat(defaults).as("the Node.js runtime's default for " + variable).hasSize(1);
    return defaults.get(0);
  }

  /** The one value the runtime's modules give the constant NAME (a module defining it otherwise fails). */
  private static String constant(String name) {
    Set<String> values = new TreeSet<>();
    sources.values().forEach(text -> CONSTANT.matcher(text).results().filter(m -> m.group(1).equals(name))
        .forEach(m -> values.add(m.group(2))));
    assertThat(values).as("the values the Node.js runtime's modules give " + name).hasSize(1);
    String literal = values.iterator().next();
    return literal.substring(1, literal.length() - 1);
  }

  /** The paths a handler compares the request's path with: {@code path === '/ready'}, {@code !== '/invoke'}. */
  private static Set<String> comparedPaths(String text) {
    return Pattern.compile("[=!]==?\\s*'(/[^']*)'").matcher(text).results().map(m -> m.group(1))
        .collect(Collectors.toSet());
  }

}
