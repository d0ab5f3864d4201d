package dev.fc.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fc.operator.contract.LifecycleEndpoints;
import dev.fc.operator.desired.HookTimingPolicy;
import dev.fc.operator.desired.HookTimings;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RenderCommandTest {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  @TempDir
  Path dir;

  static List<HasMetadata> parse(String yaml) {
    return Arrays.stream(yaml.split("(?m)^---$"))
        .filter(doc -> !doc.isBlank())
        .map(doc -> (HasMetadata) SERIALIZATION.unmarshal(doc))
        .toList();
  }

  @Test
  void anElasticFunctionRendersItsMinInstancesPodsNotSpecInstances() {
    CliRun run = CliRun.of("render", "examples/elastic.yaml");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(parse(run.out())).extracting(HasMetadata::getKind)
        .as("minInstances: 0, so no pod until an invocation needs one")
        .containsExactly("ConfigMap", "ConfigMap", "Service");
  }

  @Test
  void theCustomContainerExampleRendersTheServerAndTheAdapterWithoutACodeConfigMap() {
    CliRun run = CliRun.of("render", "examples/custom-container/function.yaml");
    assertThat(run.exitCode()).as(run.err()).isZero();
    List<HasMetadata> objects = parse(run.out());
    assertThat(objects).extracting(HasMetadata::getKind).containsExactly("ConfigMap", "Service", "Pod");
    assertThat(((ConfigMap) objects.get(0)).getData()).as("the runtime ConfigMap holds the adapter")
        .containsKey("adapter.py");
    Pod pod = (Pod) objects.get(2);
    assertThat(pod.getSpec().getContainers()).extracting(c -> c.getName() + " " + c.getImage())
        .containsExactly("function registry.example.com/team/emoji-custom:1", "fc-adapter python:3.10-slim");
  }

  @Test
  void aCustomContainerWithoutItsConfigIsRefusedNamingTheField(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws java.io.IOException {
    java.nio.file.Path file = dir.resolve("f.yaml");
    java.nio.file.Files.writeString(file, """
        apiVersion: fc.dev/v1alpha1
        kind: FunctionInstance
        metadata: {name: app}
        spec: {runtime: custom-container, handler: index.handler}
        """);
    CliRun run = CliRun.of("render", file.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("spec.customContainerConfig").contains("is required for runtime custom-container");
  }

  @Test
  void helloRendersConfigMapsServiceAndAPodWhoseHooksFollowDocsHooksMd() {
    CliRun run = CliRun.of("render", "examples/hello.yaml");
    assertThat(run.exitCode()).as(run.err()).isZero();
    List<HasMetadata> objects = parse(run.out());
    assertThat(objects).extracting(HasMetadata::getKind).containsExactly("ConfigMap", "ConfigMap", "Service", "Pod");
    ConfigMap runtime = (ConfigMap) objects.get(0);
    assertThat(runtime.getData()).containsKey("bootstrap.py");
    ConfigMap code = (ConfigMap) objects.get(1);
    assertThat(code.getData().get("index.py")).contains("def initialize(context):");
    assertThat(((Service) objects.get(2)).getSpec().getPorts()).hasSize(1);

    Pod pod = (Pod) objects.get(3);
    var container = pod.getSpec().getContainers().get(0);
    // hello.yaml: Initializer 60 s, PreStop 60 s, timeout 30 s: row 6 of docs/hooks.md
    HookTimings expected = HookTimingPolicy.compute(60, 60, 30);
    assertThat(container.getStartupProbe().getFailureThreshold()).isEqualTo(expected.startup().failureThreshold())
        .isEqualTo(18);
    assertThat(container.getStartupProbe().getTimeoutSeconds()).isEqualTo(expected.startup().timeoutSeconds())
        .isEqualTo(72);
    assertThat(container.getStartupProbe().getPeriodSeconds()).isEqualTo(1);
    assertThat(container.getLifecycle().getPreStop().getHttpGet().getPath())
        .isEqualTo("/pre-stop?token=" + LifecycleEndpoints.TOKEN_PLACEHOLDER);
    assertThat(container.getStartupProbe().getHttpGet().getHttpHeaders())
        .extracting(h -> h.getName() + ": " + h.getValue())
        .containsExactly(LifecycleEndpoints.TOKEN_HEADER + ": " + LifecycleEndpoints.TOKEN_PLACEHOLDER);
    assertThat(pod.getSpec().getTerminationGracePeriodSeconds()).isEqualTo(95L);
    assertThat(pod.getMetadata().getNamespace()).isEqualTo("default");
  }

  @Test
  void mysqlRendersTwoInstancesWithTheSecretAndTheCodeImage() {
    CliRun run = CliRun.of("render", "examples/mysql.yaml");
    assertThat(run.exitCode()).as(run.err()).isZero();
    List<Pod> pods = parse(run.out()).stream().filter(Pod.class::isInstance).map(Pod.class::cast).toList();
    assertThat(pods).hasSize(2);
    Pod pod = pods.get(0);
    assertThat(pod.getSpec().getInitContainers().get(0).getImage())
        .isEqualTo("registry.example.com/fc-examples/mysql-code:1.0");
    assertThat(pod.getSpec().getContainers().get(0).getEnv())
        .anySatisfy(e -> {
          assertThat(e.getName()).isEqualTo("MYSQL_PASSWORD");
          assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("mysql-credentials");
        });
  }

  @Test
  void runtimeImageCanBeOverridden() {
    CliRun run = CliRun.of("render", "--runtime-image", "python3.10=mirror.local/python:3.10", "examples/hello.yaml");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("image: \"mirror.local/python:3.10\"");
  }

  /** A valid FunctionInstance whose spec lines after "spec:" are {@code specLines}. */
  private static String functionWithSpec(String specLines) {
    return """
        apiVersion: fc.dev/v1alpha1
        kind: FunctionInstance
        metadata:
          name: f
        spec:
        """ + specLines;
  }

  private static final String INLINE_CODE = """
        code:
          inline:
            index.py: "def handler(event, context):\\n    return event\\n"
      """;

  static Stream<Arguments> invalidInputs() {
    return Stream.of(
        Arguments.of("unparseable YAML", functionWithSpec("  handler: [unclosed\n"), "not valid YAML"),
        Arguments.of("unknown runtime", functionWithSpec("  runtime: python3.8\n  handler: index.handler\n" + INLINE_CODE),
            "spec.runtime: unknown runtime \"python3.8\"; allowed: python3.9, python3.10, python3.12, nodejs18, "
                + "nodejs20, custom.debian12, custom-container"),
        Arguments.of("handler not file.method", functionWithSpec("  handler: index\n" + INLINE_CODE),
            "spec.handler: must be file.method"),
        Arguments.of("timeout out of range", functionWithSpec("  handler: index.handler\n  timeout: 0\n" + INLINE_CODE),
            "spec.timeout: must be from 1 to 86400"),
        Arguments.of("two code sources", functionWithSpec("  handler: index.handler\n  code:\n    image: x:1\n"
            + "    configMap: y\n"), "spec.code: must set exactly one of inline, configMap or image"),
        Arguments.of("unknown field", functionWithSpec("  handler: index.handler\n  initializationTimeout: 3\n"
            + INLINE_CODE), "spec: unknown field \"initializationTimeout\""),
        Arguments.of("wrong type", functionWithSpec("  handler: index.handler\n  memorySize: lots\n" + INLINE_CODE),
            "spec.memorySize: must be a whole number, got \"lots\" (line 7, column 15)"),
        Arguments.of("memory not a multiple of 64", functionWithSpec("  handler: index.handler\n  memorySize: 100\n"
            + INLINE_CODE), "spec.memorySize: must be a multiple of 64"),
        Arguments.of("missing handler", functionWithSpec(INLINE_CODE), "spec.handler: is required"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidInputs")
  void invalidInputExitsTwoWithOneLineNamingTheField(String name, String yaml, String message) throws IOException {
    Path file = dir.resolve("fi.yaml");
    Files.writeString(file, yaml);
    CliRun run = CliRun.of("render", file.toString());
    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().lines()).hasSize(1);
    assertThat(run.err()).startsWith("error: " + file).contains(message);
  }

  @Test
  void missingFileAndWrongKindAreBadInput() throws IOException {
    CliRun missing = CliRun.of("render", dir.resolve("nope.yaml").toString());
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).contains("no such file");

    Path pod = dir.resolve("pod.yaml");
    Files.writeString(pod, "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n");
    CliRun wrongKind = CliRun.of("render", pod.toString());
    assertThat(wrongKind.exitCode()).isEqualTo(2);
    assertThat(wrongKind.err()).contains("apiVersion/kind must be fc.dev/v1alpha1/FunctionInstance");
  }

  @Test
  void helpDescribesTheCommand() {
    CliRun run = CliRun.of("render", "--help");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("Usage: fc-operator render").contains("FILE").contains("Exit status");
  }
}
