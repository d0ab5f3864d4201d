package dev.fc.operator.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.manifest.FunctionInstanceFile;
import dev.fc.operator.contract.LifecycleEndpoints;
import dev.fc.operator.contract.RuntimeEnv;
import dev.fc.operator.contract.RuntimePorts;
import dev.fc.operator.desired.DesiredState;
import dev.fc.operator.desired.DesiredStateBuilder;
import dev.fc.operator.desired.InstanceSettings;
import dev.fc.operator.desired.RuntimeFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pod's volumes, command and environment brought onto this machine. */
class LocalSandboxTest {
  static final Path FIXTURES = Path.of("src/test/resources/local");

  @TempDir Path root;
  final List<String> warnings = new ArrayList<>();

  static DesiredState desired(String fixture) throws Exception {
    FunctionInstance fi = FunctionInstanceFile.read(FIXTURES.resolve(fixture)).get(0);
    return new DesiredStateBuilder(InstanceSettings.defaults(), RuntimeFiles.load()).build(fi);
  }

  PodSandbox.Launch prepare(String fixture, Path codeDir, Map<String, String> localEnv) throws Exception {
    DesiredState desired = desired(fixture);
    var container = PodSandbox.lifecycleContainer(desired.podTemplate());
    PortMap ports = PortMap.allocate(container, RuntimePorts.INVOKE_NAME, 0);
    return PodSandbox.preparePod(desired, root, codeDir, ports, localEnv, root, warnings::add).lifecycle();
  }

  @Test
  void volumesBecomeFoldersAndPathsAndPortsFollow() throws Exception {
    PodSandbox.Launch launch = prepare("hooks.yaml", null, Map.of("PATH", "/usr/bin:/bin", "HOME", "/root"));

    Path runtime = root.resolve("volumes/fc-runtime");
    Path code = root.resolve("volumes/fc-code");
    assertThat(runtime.resolve("bootstrap.py")).exists();
    assertThat(code.resolve("index.py")).content().contains("def initialize(context):");
    assertThat(code.resolve("python/lib.py")).content().contains("def answer(event, initializations):");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(code.resolve("python/lib.py"))))
        .as("defaultMode 0444 as in the pod").isEqualTo("r--r--r--");
    assertThat(launch.command()).containsExactly("python3", "-I", runtime + "/bootstrap.py");
    assertThat(launch.workingDir()).isEqualTo(code);

    Map<String, String> env = launch.env();
    assertThat(env).containsEntry("PATH", "/usr/bin:/bin").doesNotContainKey("HOME");
    assertThat(env).containsEntry("FC_FUNC_CODE_PATH", code + "/")
        .containsEntry("PYTHONPATH", code + ":" + code + "/python:/opt/python")
        .containsEntry("FC_TERMINATION_MESSAGE_PATH", root.resolve("termination-log").toString())
        .containsEntry("FC_INSTANCE_ID", launch.podName())
        .containsEntry("FC_SERVER_PORT", String.valueOf(launch.ports().local(RuntimePorts.INVOKE)))
        .containsEntry("FC_LIFECYCLE_PORT", String.valueOf(launch.ports().local(RuntimePorts.LIFECYCLE)))
        .containsEntry("FC_INITIALIZATION_TIMEOUT", "1");
    assertThat(launch.ports().local(RuntimePorts.LIFECYCLE))
        .isNotEqualTo(launch.ports().local(RuntimePorts.INVOKE))
        .isNotEqualTo(RuntimePorts.LIFECYCLE);
    assertThat(launch.podName()).matches("hooks-[0-9a-f]+-[bcdfghjklmnpqrstvwxz2456789]{5}");
    // the pod is issued as the operator creates it: its own secret, where the runtime reads it and the kubelet sends it
    String token = env.get(RuntimeEnv.LIFECYCLE_TOKEN);
    assertThat(token).matches("[A-Za-z0-9_-]{43}");
    assertThat(launch.container().getStartupProbe().getHttpGet().getHttpHeaders())
        .extracting(h -> h.getName() + ": " + h.getValue()).containsExactly(LifecycleEndpoints.TOKEN_HEADER + ": " + token);
    assertThat(launch.container().getLifecycle().getPreStop().getHttpGet().getPath())
        .isEqualTo("/pre-stop?token=" + token);
    assertThat(launch.terminationMessage()).exists().isEmptyFile();
    assertThat(warnings).isEmpty();
  }

  @Test
  void codeDirStandsInForTheClusterAndValueFromComesFromTheLocalEnvironment() throws Exception {
    Path codeDir = FIXTURES.resolve("code");
    PodSandbox.Launch launch = prepare("configmap.yaml", codeDir, Map.of("GREETING", "hi"));

    assertThat(launch.workingDir()).isEqualTo(codeDir.toAbsolutePath());
    assertThat(launch.env()).containsEntry("GREETING", "hi")
        .containsEntry("FC_FUNC_CODE_PATH", codeDir.toAbsolutePath() + "/");
    assertThat(warnings).containsExactly("env GREETING: secretKeyRef greetings/greeting taken from the local environment");
  }

  @Test
  void aConfigMapFromTheClusterCannotBeFetched() {
    assertThatThrownBy(() -> prepare("configmap.yaml", null, Map.of()))
        .isInstanceOf(LocalInputException.class)
        .hasMessageContaining("ConfigMap from-configmap-code (mounted at /code) lives in the cluster")
        .hasMessageContaining("--code-dir DIR");
  }

  @Test
  void dependentVariablesExpandAsInKubernetes() {
    Map<String, String> defined = Map.of("A", "x", "B", "y");
    assertThat(PodSandbox.expand("$(A)-$(B)", defined)).isEqualTo("x-y");
    assertThat(PodSandbox.expand("$(C)/$$(A)/$$", defined)).isEqualTo("$(C)/$(A)/$");
    assertThat(PodSandbox.expand("cost $5 $(A", defined)).isEqualTo("cost $5 $(A");
  }

  @Test
  void onlyWholePathComponentsMap() {
    PathMap paths = new PathMap();
    paths.put("/code", Path.of("/tmp/x/code"));
    paths.put("/code/python", Path.of("/elsewhere"));
    assertThat(paths.value("/code:/code/python/lib:/codex:/opt/python")).isEqualTo(
        "/tmp/x/code:/elsewhere/lib:/codex:/opt/python");
  }
}
