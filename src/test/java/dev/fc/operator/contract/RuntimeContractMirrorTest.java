package dev.fc.operator.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
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
 * Holds the contract's two sides together: what this package says and what the Python runtime
 * (src/main/resources/fc-runtime/) reads, answers and exits with, compared by parsing the runtime's sources, both
 * ways, and, where it lists them, with docs/runtime-contract.md. A name added, renamed or dropped on one side only,
 * a default port or path changed in one place, an exit status moved: each fails here, naming the side that differs.
 *
 * <p>The parsing is deliberately plain (string literals and module-level constants), so it keeps working however the
 * runtime's modules are arranged; a code it cannot resolve to a number is reported, not skipped silently.
 */
class RuntimeContractMirrorTest {
  private static final Path RUNTIME = Path.of("src/main/resources/fc-runtime");
  private static final Path DOC = Path.of("docs/runtime-contract.md");
  private static final Pattern STRING = Pattern.compile("\"([^\"\\\\\\n]*)\"|'([^'\\\\\\n]*)'");
  private static final Pattern FC_NAME = Pattern.compile("FC_[A-Z0-9_]+");
  /** {@code NAME = 4} or {@code NAME = "Stopped"} at any indentation (a module's or a class's constant). */
  private static final Pattern CONSTANT =
      Pattern.compile("(?m)^\\s*([A-Z][A-Z0-9_]*)\\s*=\\s*(\\d+|\"[^\"]*\"|'[^']*')\\s*(?:#.*)?$");
  /** An exit reason with its status in fc_exits.py, the one place the runtime names them. */
  private static final Pattern EXIT_KIND = Pattern.compile("ExitKind\\(\\s*[\"']([A-Za-z]+)[\"']\\s*,\\s*(\\d+)\\s*\\)");

  private static Map<String, String> sources;
  private static String doc;

  @BeforeAll
  static void read() throws IOException {
    try (Stream<Path> files = Files.list(RUNTIME)) {
      sources = new TreeMap<>();
      for (Path file : files.filter(f -> f.toString().endsWith(".py")).sorted().toList()) {
        sources.put(file.getFileName().toString(), Files.readString(file));
      }
    }
    assertThat(sources).containsKeys("bootstrap.py", "fc_config.py", "fc_probes.py", "fc_invoke.py");
    doc = Files.readString(DOC);
  }

  @Test
  void theFcVariablesAreTheSameInTheContractTheRuntimeAndTheDocument() {
    Set<String> java = ContractConstants.strings(RuntimeEnv.class).values().stream()
        .filter(v -> FC_NAME.matcher(v).matches()).collect(Collectors.toCollection(TreeSet::new));
    Set<String> python = pythonStrings().filter(s -> FC_NAME.matcher(s).matches())
        .collect(Collectors.toCollection(TreeSet::new));
    Set<String> documented = new TreeSet<>();
    for (String row : section("## Environment").lines().filter(l -> l.startsWith("| `")).toList()) {
      FC_NAME.matcher(row.split("\\|")[1]).results().forEach(m -> documented.add(m.group()));
    }

    assertThat(java).as("FC_* names the runtime reads but RuntimeEnv lacks").containsAll(python);
    assertThat(python).as("FC_* names of RuntimeEnv the runtime never reads").containsAll(java);
    assertThat(documented).as("FC_* names of RuntimeEnv missing from docs/runtime-contract.md, \"Environment\"")
        .containsAll(java);
    assertThat(java).as("FC_* names docs/runtime-contract.md lists but RuntimeEnv lacks").containsAll(documented);
  }

  @Test
  void everyDefaultPortOfTheRuntimeIsTheContractsPort() {
    Map<String, Integer> ports = Map.of(RuntimeEnv.SERVER_PORT, RuntimePorts.INVOKE,
        RuntimeEnv.LIFECYCLE_PORT, RuntimePorts.LIFECYCLE);
    assertThat(RuntimeEnv.PORTS).containsExactlyInAnyOrderElementsOf(ports.keySet());
    ports.forEach((variable, port) -> {
      List<String> reads = linesQuoting(variable);
      assertThat(reads).as("where the runtime reads " + variable).isNotEmpty();
      for (String read : reads) {
        // the default follows the name on its line: _port(env, NAME, 9000), or listen_early(env.get(NAME, ""), 9001)
        Matcher number = Pattern.compile("\\b(\\d{2,5})\\b").matcher(read.substring(read.indexOf(variable)));
        assertThat(number.find()).as("a default port after %s in: %s", variable, read).isTrue();
        assertThat(Integer.parseInt(number.group(1))).as("the default of %s in: %s", variable, read).isEqualTo(port);
      }
    });
  }

  @Test
  void theRuntimesDefaultCodePathAndQualifierAreWhatThePodSets() {
    assertThat(defaultOf(RuntimeEnv.FUNC_CODE_PATH)).isEqualTo(RuntimePaths.FUNC_CODE_PATH);
    assertThat(defaultOf(RuntimeEnv.QUALIFIER)).isEqualTo(RuntimeEnv.LATEST_QUALIFIER);
    assertThat(RuntimePaths.FUNC_CODE_PATH).isEqualTo(RuntimePaths.CODE_DIR + "/");
  }

  @Test
  void theLifecycleEndpointsAndTheirSecretAreTheRuntimes() {
    String probes = sources.get("fc_probes.py");
    assertThat(comparedPaths(probes)).as("the paths fc_probes.py serves")
        .containsExactlyInAnyOrder(LifecycleEndpoints.STARTUP, LifecycleEndpoints.READY, LifecycleEndpoints.PRE_STOP);
    assertThat(pythonConstant("TOKEN_HEADER")).isEqualTo(LifecycleEndpoints.TOKEN_HEADER);
    assertThat(pythonConstant("TOKEN_PARAMETER")).isEqualTo(LifecycleEndpoints.TOKEN_QUERY_PARAMETER);
    assertThat(pythonConstant("TEMPLATE_TOKEN")).isEqualTo(LifecycleEndpoints.TOKEN_PLACEHOLDER);
    assertThat(pythonConstant("LIFECYCLE_TOKEN")).isEqualTo(RuntimeEnv.LIFECYCLE_TOKEN);
    assertThat(comparedPaths(sources.get("fc_invoke.py"))).as("the path of an event function in fc_invoke.py")
        .containsExactly(InvocationEndpoint.EVENT_PATH);
  }

  @Test
  void theHeadersAreTheSameOnBothSides() {
    Set<String> java = Stream.concat(Stream.of(InvocationEndpoint.ERROR_TYPE_HEADER,
        InvocationEndpoint.REQUEST_ID_HEADER, LifecycleEndpoints.TOKEN_HEADER, InvocationEndpoint.CUSTOM_STATUS_HEADER),
        InvocationEndpoint.CUSTOM_SERVER_HEADERS.stream()).map(h -> h.toLowerCase(Locale.ROOT))
        .collect(Collectors.toSet());
    Set<String> python = pythonStrings().map(s -> s.toLowerCase(Locale.ROOT)).filter(s -> s.matches("x-fc-[a-z-]+"))
        .collect(Collectors.toSet());
    assertThat(python).as("the runtime's x-fc-* headers against the contract's").isEqualTo(java);
  }

  @Test
  void theExitReasonsAndTheirStatusesAreTheSameOnBothSides() {
    Map<String, Integer> java = new TreeMap<>();
    for (ExitReason reason : ExitReason.values()) {
      java.put(reason.text(), reason.exitStatus());
    }
    Map<String, Set<Integer>> python = pythonExitReasons();
    Map<String, Integer> pythonSingle = new TreeMap<>();
    python.forEach((reason, codes) -> {
      assertThat(codes).as("the exit statuses the runtime gives %s", reason).hasSize(1);
      pythonSingle.put(reason, codes.iterator().next());
    });
    assertThat(pythonSingle).as("the runtime's exit reasons and statuses against ExitReason").isEqualTo(java);

    Matcher documented = Pattern.compile("\"exitReason\": \"([^\"]+)\"").matcher(section("## Termination message"));
    assertThat(documented.find()).isTrue();
    assertThat(Arrays.stream(documented.group(1).split("\\|")).map(String::strip))
        .as("the exit reasons of docs/runtime-contract.md").containsExactlyInAnyOrderElementsOf(java.keySet());
    Set<Integer> documentedStatuses = section("## Exit status").lines().map(l -> l.split("\\|"))
        .filter(cells -> cells.length > 1 && cells[1].strip().matches("\\d+"))
        .map(cells -> Integer.parseInt(cells[1].strip())).collect(Collectors.toSet());
    assertThat(documentedStatuses).as("the exit statuses of docs/runtime-contract.md")
        .containsExactlyInAnyOrderElementsOf(java.values());
  }

  @Test
  void theHookStatusesAreTheDocumentsAndTheRuntimeSpellsEach() {
    Set<String> java = new TreeSet<>(ContractConstants.strings(HookStatus.class).values());
    Set<String> documented = new TreeSet<>();
    Pattern.compile("\"status\": \"([^\"]+)\"").matcher(section("## Lifecycle endpoints") + section(
        "## Termination message")).results()
        .forEach(m -> Arrays.stream(m.group(1).split("\\|")).map(String::strip).forEach(documented::add));
    assertThat(documented).as("hook statuses of docs/runtime-contract.md against HookStatus").isEqualTo(java);
    Set<String> python = pythonStrings().collect(Collectors.toSet());
    assertThat(python).as("hook statuses the runtime never spells").containsAll(java);
  }

  @Test
  void theContainersCommandRunsTheRuntimesEntryPointIsolated() {
    assertThat(RuntimeContainer.COMMAND).containsExactly("python3", "-I", RuntimePaths.RUNTIME_DIR + "/bootstrap.py");
    assertThat(sources).containsKey(Path.of(RuntimeContainer.COMMAND.get(2)).getFileName().toString());
    assertThat(sources.get("bootstrap.py")).contains(String.join(" ", RuntimeContainer.COMMAND));
  }

  // --- the Python side, parsed

  /** Every string literal of the runtime's code (comments and docstrings' prose are not literals). */
  private static Stream<String> pythonStrings() {
    return sources.values().stream().flatMap(text -> STRING.matcher(withoutComments(text)).results()
        .map(m -> m.group(1) != null ? m.group(1) : m.group(2)));
  }

  private static String withoutComments(String text) {
    return text.lines().map(line -> line.strip().startsWith("#") ? "" : line).collect(Collectors.joining("\n"));
  }

  private static List<String> linesQuoting(String literal) {
    return sources.values().stream().flatMap(String::lines)
        .filter(l -> l.contains("\"" + literal + "\"") || l.contains("'" + literal + "'")).toList();
  }

  /** The literal default of {@code _text(env, NAME, "default")}-style readers: the argument after the name. */
  private static String defaultOf(String variable) {
    Pattern read = Pattern.compile("[\"']" + variable + "[\"']\\s*,\\s*(?:\"([^\"]*)\"|'([^']*)')");
    List<String> defaults = sources.values().stream().flatMap(text -> read.matcher(text).results())
        .map(m -> m.group(1) != null ? m.group(1) : m.group(2)).distinct().toList();
    assertThat(defaults).as("the runtime's default for " + variable).hasSize(1);
    return defaults.get(0);
  }

  /** The string value of the runtime's constant NAME = "..."; every module that defines it gives it this value. */
  private static String pythonConstant(String name) {
    String value = unquote(resolve(pythonConstants(), name));
    assertThat(value).as("the runtime's text constant " + name).isNotNull();
    return value;
  }

  /** NAME to the literals (a number, or a quoted text) the runtime's modules give it. */
  private static Map<String, Set<String>> pythonConstants() {
    Map<String, Set<String>> constants = new TreeMap<>();
    sources.values().forEach(text -> CONSTANT.matcher(text).results()
        .forEach(m -> constants.computeIfAbsent(m.group(1), n -> new TreeSet<>()).add(m.group(2))));
    return constants;
  }

  /** The one literal of a constant (null when no module defines it); defined differently in two modules fails. */
  private static String resolve(Map<String, Set<String>> constants, String name) {
    Set<String> values = constants.getOrDefault(name, Set.of());
    assertThat(values).as("the values the runtime's modules give " + name).hasSizeLessThanOrEqualTo(1);
    return values.isEmpty() ? null : values.iterator().next();
  }

  /** The paths a handler compares the request's path with: {@code path == "/ready"}, {@code != "/invoke"}. */
  private static Set<String> comparedPaths(String text) {
    return Pattern.compile("[=!]=\\s*\"(/[^\"]*)\"").matcher(text).results().map(m -> m.group(1))
        .collect(Collectors.toSet());
  }

  /**
   * Each exit reason fc_exits.py names, with the statuses it gives it; no other module may make an exit of its own
   * ({@code ExitKind(...)}) or claim one by a literal ({@code claim("Stopped", ...)}).
   */
  private static Map<String, Set<Integer>> pythonExitReasons() {
    sources.forEach((file, text) -> {
      String code = withoutComments(text);
      assertThat(code).as(file + " claims an exit by a literal, not an fc_exits kind").doesNotContainPattern(
          "\\.claim\\(\\s*[\"'\\d]");
      if (!file.equals("fc_exits.py")) {
        assertThat(code).as(file + " makes an exit kind outside fc_exits.py").doesNotContain("ExitKind(");
      }
    });
    Map<String, Set<Integer>> reasons = new TreeMap<>();
    EXIT_KIND.matcher(withoutComments(sources.get("fc_exits.py"))).results().forEach(m ->
        reasons.computeIfAbsent(m.group(1), r -> new TreeSet<>()).add(Integer.parseInt(m.group(2))));
    return reasons;
  }

  private static String unquote(String literal) {
    return literal == null || !(literal.startsWith("\"") || literal.startsWith("'"))
        ? null : literal.substring(1, literal.length() - 1);
  }

  // --- the Java side and the document


  /** The text of the "## " section of docs/runtime-contract.md whose heading starts so, up to the next one. */
  private static String section(String heading) {
    Matcher start = Pattern.compile("(?m)^" + Pattern.quote(heading) + "\\b.*$").matcher(doc);
    assertThat(start.find()).as("docs/runtime-contract.md has the section " + heading).isTrue();
    int end = doc.indexOf("\n## ", start.end());
    return doc.substring(start.start(), end < 0 ? doc.length() : end);
  }
}
