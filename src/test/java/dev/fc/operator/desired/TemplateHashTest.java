package dev.fc.operator.desired;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.api.FunctionInstanceSpec;
import dev.fc.operator.api.SpecDefaults;
import dev.fc.operator.manifest.FunctionInstanceFile;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The pod template hash of a file is the same from {@code render} (defaults from {@link SpecDefaults}) and
 * in a cluster (the same file applied, the CRD schema's defaults applied by the API server, read back
 * with the server's metadata).
 */
class TemplateHashTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final CrdSchemaDefaults API_SERVER = CrdSchemaDefaults.fromCommittedCrd();
  private static final DesiredStateBuilder BUILDER =
      new DesiredStateBuilder(InstanceSettings.defaults(), RuntimeFiles.load());

  @TempDir Path tmp;

  static final String HEADER = "apiVersion: fc.dev/v1alpha1\nkind: FunctionInstance\nmetadata:\n  name: fn\nspec:\n";
  static final String CODE = "  handler: index.handler\n  code:\n    inline:\n      index.py: |\n"
      + "        def handler(event, context):\n            return event\n";

  static Stream<Arguments> specs() {
    return Stream.of(
        Arguments.of("minimal", CODE),
        Arguments.of("every default written out", CODE + """
              runtime: python3.10
              handlerType: event
              memorySize: 512
              cpu: 0.35
              timeout: 3
              instanceConcurrency: 1
              instances: 1
              instanceLifecycleConfig:
                initializer: {handler: index.handler, timeout: 3}
                preStop: {handler: index.handler, timeout: 3}
            """),
        Arguments.of("hooks without timeouts", CODE + """
              instanceLifecycleConfig:
                initializer: {handler: index.handler}
                preStop: {handler: index.handler}
            """),
        Arguments.of("whole cpu as an integer", CODE + "  cpu: 1\n  memorySize: 1024\n"),
        Arguments.of("whole cpu as a decimal", CODE + "  cpu: 2.0\n"),
        Arguments.of("a fraction of a cpu", CODE + "  cpu: 0.05\n  timeout: 600\n"),
        Arguments.of("empty maps and lists", CODE + """
              environmentVariables: {}
              env: []
              instanceLifecycleConfig: {}
            """),
        Arguments.of("explicit nulls", CODE + """
              cpu: null
              timeout: null
              environmentVariables: null
              instanceLifecycleConfig:
                initializer: {handler: index.handler, timeout: null}
            """),
        Arguments.of("variables and env from a secret and a field", CODE + """
              environmentVariables: {ZED: "1", ALPHA: two, PYTHONPATH: /code}
              env:
                - name: PASSWORD
                  valueFrom: {secretKeyRef: {name: creds, key: password}}
                - name: NODE
                  valueFrom: {fieldRef: {fieldPath: spec.nodeName}}
            """),
        Arguments.of("inline files out of order, in folders", """
              handler: main.handler
              code:
                inline:
                  zz.py: "x = 1\\n"
                  main.py: "def handler(event, context):\\n    return event\\n"
                  python/lib.py: "y = 2\\n"
            """),
        Arguments.of("code from a ConfigMap, http", """
              handler: app.app
              handlerType: http
              runtime: python3.12
              code: {configMap: my-code}
            """),
        Arguments.of("code from an image", """
              handler: index.handler
              runtime: python3.9
              code: {image: "registry.example.com/code:1"}
              instanceConcurrency: 20
            """));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("specs")
  void renderAndTheClusterAgreeOnTheHash(String what, String spec) throws IOException {
    Path file = tmp.resolve("fn.yaml");
    Files.writeString(file, HEADER + spec);
    assertSameHashBothWays(file);
  }

  @Test
  void renderAndTheClusterAgreeOnTheHashOfEveryExample() throws IOException {
    List<Path> examples;
    try (Stream<Path> files = Files.list(Path.of("examples"))) {
      examples = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
    int functions = 0;
    for (Path example : examples) {
      if (Files.readString(example).contains("kind: FunctionInstance")) {
        assertSameHashBothWays(example);
        functions++;
      }
    }
    assertThat(functions).as("examples with a FunctionInstance").isGreaterThanOrEqualTo(2);
  }

  @Test
  void aSpecWithItsDefaultsWrittenOutIsTheSameTemplate() throws IOException {
    Path minimal = Files.writeString(tmp.resolve("minimal.yaml"), HEADER + CODE);
    Path explicit = Files.writeString(tmp.resolve("explicit.yaml"), HEADER + CODE + """
          runtime: python3.10
          handlerType: event
          memorySize: 512
          cpu: 0.35
          timeout: 3
          instanceConcurrency: 1
          instances: 1
          environmentVariables: {}
          env: []
          instanceLifecycleConfig: {}
        """);
    assertThat(renderHash(explicit)).isEqualTo(renderHash(minimal));
  }

  /** Every field the CRD schema defaults, SpecDefaults defaults to the same value, and the other way round. */
  @Test
  void specDefaultsAndTheSchemaDefaultTheSameFields() throws IOException {
    JsonNode minimal = YAML.readTree(HEADER + CODE + """
          instanceLifecycleConfig:
            initializer: {handler: index.handler}
            preStop: {handler: index.handler}
        """);
    FunctionInstance raw = SERIALIZATION.unmarshal(minimal.toString(), FunctionInstance.class);
    JsonNode bySpecDefaults = CrdSchemaDefaults.asServed(SERIALIZATION.convertValue(
        Map.of("spec", SpecDefaults.apply(raw.getSpec())), JsonNode.class));
    Map<String, JsonNode> schemaDefaults = API_SERVER.defaults();
    assertThat(schemaDefaults).isNotEmpty();
    schemaDefaults.forEach((path, value) -> {
      JsonNode actual = bySpecDefaults;
      for (String key : path.split("\\.")) {
        actual = actual.path(key);
      }
      assertThat(actual.asText()).as("SpecDefaults for %s", path).isEqualTo(value.asText());
    });
    JsonNode bySchema = API_SERVER.apply(minimal);
    FunctionInstanceSpec schemaDefaulted = SERIALIZATION.unmarshal(bySchema.toString(), FunctionInstance.class)
        .getSpec();
    assertThat(SERIALIZATION.asJson(SpecDefaults.apply(schemaDefaulted)))
        .as("SpecDefaults adds nothing but empty collections to what the schema defaulted")
        .isEqualTo(SERIALIZATION.asJson(SpecDefaults.apply(raw.getSpec())));
    FunctionInstanceSpec emptyDefaulted = SpecDefaults.apply(schemaDefaulted);
    emptyDefaulted.setEnvironmentVariables(null);
    emptyDefaulted.setEnv(null);
    assertThat(CrdSchemaDefaults.asServed(SERIALIZATION.convertValue(Map.of("spec", emptyDefaulted), JsonNode.class))
        .path("spec")).as("no default of SpecDefaults that the schema lacks").isEqualTo(bySchema.path("spec"));
  }

  private void assertSameHashBothWays(Path file) throws IOException {
    List<String> rendered = renderHash(file);
    List<String> inCluster = new ArrayList<>();
    for (JsonNode doc : YAML.readerFor(JsonNode.class).<JsonNode>readValues(Files.readString(file)).readAll()) {
      if (doc == null || !"FunctionInstance".equals(doc.path("kind").asText())) {
        continue;
      }
      inCluster.add(BUILDER.build(asTheApiServerReturnsIt(doc)).templateHash());
    }
    assertThat(inCluster).as("hash in the cluster, for %s", file).isEqualTo(rendered);
  }

  private static List<String> renderHash(Path file) throws IOException {
    try {
      return FunctionInstanceFile.read(file).stream().map(fi -> BUILDER.build(fi).templateHash()).toList();
    } catch (dev.fc.operator.input.InputException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }

  /** kubectl apply into namespace default, then GET: defaults applied, server metadata, Go's JSON. */
  private static FunctionInstance asTheApiServerReturnsIt(JsonNode doc) {
    ObjectNode applied = doc.deepCopy();
    ObjectNode metadata = (ObjectNode) applied.get("metadata");
    if (!metadata.has("namespace")) {
      metadata.put("namespace", "default");
    }
    metadata.put("uid", UUID.randomUUID().toString());
    metadata.put("resourceVersion", "4711");
    metadata.put("generation", 1);
    metadata.put("creationTimestamp", "2026-01-01T00:00:00Z");
    metadata.putObject("annotations").put("kubectl.kubernetes.io/last-applied-configuration", doc.toString());
    metadata.putArray("managedFields").addObject().put("manager", "kubectl-client-side-apply")
        .put("operation", "Update");
    return SERIALIZATION.unmarshal(API_SERVER.apply(applied).toString(), FunctionInstance.class);
  }
}
