package dev.fc.operator.desired;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fc.operator.api.Code;
import dev.fc.operator.api.FcRuntime;
import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.contract.RuntimeContainer;
import dev.fc.operator.contract.RuntimeEnv;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** A Node.js function's pod: the Node.js runtime's command, image, files and module path. */
class NodeRuntimePodTest {
  static final RuntimeFiles FILES =
      new RuntimeFiles(Map.of("bootstrap.py", "# python\n"), Map.of("bootstrap.js", "// node\n"));

  static FunctionInstance node(String runtime, Map<String, String> env) {
    FunctionInstance fi = Fixtures.function("emojinode");
    fi.getSpec().setRuntime(runtime);
    fi.getSpec().setCode(Code.inline(Map.of("index.js", "exports.handler = async () => 'hi';\n")));
    fi.getSpec().setEnvironmentVariables(env);
    return fi;
  }

  private static Map<String, String> env(Container c) {
    return c.getEnv().stream().filter(e -> e.getValue() != null)
        .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }

  @Test
  void aNodeFunctionRunsTheNodeRuntimeFromItsOwnFilesInNodesImage() {
    DesiredState state = new DesiredStateBuilder(InstanceSettings.defaults(), FILES).build(node("nodejs20", Map.of()));
    Container c = state.podTemplate().getSpec().getContainers().get(0);
    assertThat(state.podTemplate().getSpec().getContainers()).hasSize(1);
    assertThat(c.getName()).isEqualTo(RuntimeContainer.NAME);
    assertThat(c.getCommand()).isEqualTo(RuntimeContainer.NODE_COMMAND).containsExactly("node",
        "/var/fc/runtime/bootstrap.js");
    assertThat(c.getImage()).isEqualTo("node:20-slim");
    assertThat(env(c)).containsEntry(RuntimeEnv.NODE_PATH, RuntimeEnv.DEFAULT_NODE_PATH)
        .containsEntry(RuntimeEnv.RUNTIME, "nodejs20")
        .doesNotContainKeys(RuntimeEnv.PYTHONPATH, RuntimeEnv.PYTHONUNBUFFERED, RuntimeEnv.PYTHONDONTWRITEBYTECODE);
    ConfigMap runtime = state.configMaps().get(0);
    assertThat(runtime.getData()).containsOnlyKeys("bootstrap.js");

    DesiredState python = new DesiredStateBuilder(InstanceSettings.defaults(), FILES)
        .build(Fixtures.function("emojipy"));
    assertThat(python.configMaps().get(0).getData()).containsOnlyKeys("bootstrap.py");
    assertThat(python.configMaps().get(0).getMetadata().getName().replace("emojipy", ""))
        .as("each runtime's ConfigMap is named by its own files' hash")
        .isNotEqualTo(runtime.getMetadata().getName().replace("emojinode", ""));
  }

  @Test
  void theUsersNodePathWinsAndEachVersionHasItsImage() {
    DesiredState state = new DesiredStateBuilder(InstanceSettings.defaults(), FILES)
        .build(node("nodejs18", Map.of("NODE_PATH", "/code/lib")));
    Container c = state.podTemplate().getSpec().getContainers().get(0);
    assertThat(c.getImage()).isEqualTo("node:18-slim");
    assertThat(c.getEnv().stream().filter(e -> e.getName().equals(RuntimeEnv.NODE_PATH)).map(EnvVar::getValue))
        .containsExactly("/code/lib");
    assertThat(InstanceSettings.defaultImage(FcRuntime.NODEJS_20)).isEqualTo("node:20-slim");
  }
}
