package dev.fc.operator.desired;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fc.operator.api.Code;
import dev.fc.operator.api.CustomContainerConfig;
import dev.fc.operator.api.CustomRuntimeConfig;
import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.contract.LifecycleEndpoints;
import dev.fc.operator.contract.RuntimeContainer;
import dev.fc.operator.contract.RuntimeEnv;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The pod of a custom runtime: the user's server in "function", the contract in "fc-adapter". */
class CustomRuntimePodTest {
  private final DesiredStateBuilder builder = Fixtures.builder();

  private static Container container(Pod pod, String name) {
    return pod.getSpec().getContainers().stream().filter(c -> name.equals(c.getName())).findFirst().orElseThrow();
  }

  private static Map<String, String> env(Container c) {
    return c.getEnv().stream().filter(e -> e.getValue() != null)
        .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }

  @Test
  void theAdapterCarriesTheContractAndTheServerTheFunction() {
    Pod pod = builder.build(Fixtures.customContainer("app", null)).podTemplate();
    assertThat(pod.getSpec().getContainers()).extracting(Container::getName)
        .containsExactly(RuntimeContainer.NAME, RuntimeContainer.ADAPTER_NAME);
    Container server = container(pod, RuntimeContainer.NAME);
    Container adapter = container(pod, RuntimeContainer.ADAPTER_NAME);

    assertThat(server.getImage()).isEqualTo("registry.example.com/team/app:1.0");
    assertThat(server.getCommand()).containsExactly("node");
    assertThat(server.getArgs()).containsExactly("server.js");
    assertThat(server.getStartupProbe()).isNull();
    assertThat(server.getResources().getLimits().get("memory").toString()).isEqualTo("512Mi");
    assertThat(server.getPorts()).extracting(p -> p.getName() + "=" + p.getContainerPort())
        .containsExactly("server=9000");
    assertThat(env(server)).containsEntry(RuntimeEnv.CUSTOM_LISTEN_PORT, "9000")
        .containsEntry(RuntimeEnv.INITIALIZER_HANDLER, "index.initialize")
        .doesNotContainKeys(RuntimeEnv.LIFECYCLE_TOKEN, RuntimeEnv.TERMINATION_MESSAGE_PATH, RuntimeEnv.SERVER_PORT);

    assertThat(adapter.getCommand()).isEqualTo(RuntimeContainer.ADAPTER_COMMAND);
    assertThat(adapter.getImage()).isEqualTo(InstanceSettings.defaults().adapterImage());
    assertThat(adapter.getPorts()).extracting(p -> p.getName() + "=" + p.getContainerPort())
        .containsExactly("invoke=9002", "lifecycle=9001");
    assertThat(adapter.getStartupProbe().getHttpGet().getPath()).isEqualTo(LifecycleEndpoints.STARTUP);
    assertThat(adapter.getTerminationMessagePath()).isEqualTo("/dev/termination-log");
    assertThat(env(adapter)).containsEntry(RuntimeEnv.CUSTOM_LISTEN_PORT, "9000")
        .containsEntry(RuntimeEnv.SERVER_PORT, "9002")
        .containsEntry(RuntimeEnv.LIFECYCLE_TOKEN, LifecycleEndpoints.TOKEN_PLACEHOLDER);
    assertThat(adapter.getVolumeMounts()).extracting(VolumeMount::getMountPath).contains("/var/fc/runtime");
  }

  @Test
  void bothContainersCallTheAdaptersPreStopSoTheServerOutlivesItsPreStopAndTheAdapterTheCall() {
    Pod pod = builder.build(Fixtures.customContainer("app", null)).podTemplate();
    var serverHook = container(pod, RuntimeContainer.NAME).getLifecycle().getPreStop().getHttpGet();
    var adapterHook = container(pod, RuntimeContainer.ADAPTER_NAME).getLifecycle().getPreStop().getHttpGet();
    // the server's hook names the adapter's port by number: a named port is looked up in the hook's own container
    assertThat(serverHook.getPort().getIntVal()).isEqualTo(9001);
    assertThat(adapterHook.getPort().getStrVal()).isEqualTo("lifecycle");
    assertThat(serverHook.getPath()).isEqualTo(adapterHook.getPath())
        .isEqualTo(LifecycleEndpoints.PRE_STOP + "?token=" + LifecycleEndpoints.TOKEN_PLACEHOLDER);

    Pod issued = LifecycleToken.issue(pod, "a".repeat(43));
    assertThat(container(issued, RuntimeContainer.NAME).getLifecycle().getPreStop().getHttpGet().getPath())
        .isEqualTo(LifecycleEndpoints.PRE_STOP + "?token=" + "a".repeat(43));
    assertThat(env(container(issued, RuntimeContainer.ADAPTER_NAME)))
        .containsEntry(RuntimeEnv.LIFECYCLE_TOKEN, "a".repeat(43));
  }

  @Test
  void theServiceTargetsTheAdaptersInvocationPortNotTheServersNorTheLifecyclePort() {
    DesiredState state = builder.build(Fixtures.customContainer("app", null));
    Service service = state.service();
    assertThat(service.getSpec().getPorts()).singleElement()
        .satisfies(p -> assertThat(p.getTargetPort().getStrVal()).isEqualTo("invoke"));
    Pod pod = state.podTemplate();
    assertThat(pod.getSpec().getContainers()).flatExtracting(Container::getPorts)
        .filteredOn(p -> "invoke".equals(p.getName())).singleElement()
        .satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(9002));
  }

  @Test
  void runAsUserIsSetOnTheServerAloneAndTheRestStaysRestricted() {
    Pod pod = builder.build(Fixtures.customContainer("app", 1000L)).podTemplate();
    var server = container(pod, RuntimeContainer.NAME).getSecurityContext();
    assertThat(server.getRunAsUser()).isEqualTo(1000L);
    assertThat(server.getRunAsNonRoot()).isTrue();
    assertThat(server.getAllowPrivilegeEscalation()).isFalse();
    assertThat(server.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(container(pod, RuntimeContainer.ADAPTER_NAME).getSecurityContext().getRunAsUser()).isNull();
    assertThat(pod.getSpec().getSecurityContext().getRunAsUser()).isEqualTo(RuntimeContainer.RUN_AS_USER);

    Pod byDefault = builder.build(Fixtures.customContainer("app", null)).podTemplate();
    assertThat(container(byDefault, RuntimeContainer.NAME).getSecurityContext().getRunAsUser()).isNull();
  }

  @Test
  void aCustomContainerHasNoCodeVolumeAndDebian12RunsTheCommandOnTheCode() {
    Pod image = builder.build(Fixtures.customContainer("app", null)).podTemplate();
    assertThat(image.getSpec().getVolumes()).extracting(v -> v.getName()).doesNotContain("fc-code");
    assertThat(image.getSpec().getInitContainers()).isEmpty();

    DesiredState state = builder.build(Fixtures.debian("deb"));
    Pod pod = state.podTemplate();
    Container server = container(pod, RuntimeContainer.NAME);
    assertThat(server.getImage()).isEqualTo("python:3.12-slim-bookworm");
    assertThat(server.getCommand()).containsExactly("python3", "app.py");
    assertThat(server.getWorkingDir()).isEqualTo("/code");
    assertThat(server.getVolumeMounts()).extracting(VolumeMount::getMountPath).contains("/code");
    assertThat(env(server)).containsEntry(RuntimeEnv.CUSTOM_LISTEN_PORT, "8080").containsEntry("GREETING", "hello")
        .containsEntry(RuntimeEnv.RUNTIME, "custom.debian12");
    assertThat(env(container(pod, RuntimeContainer.ADAPTER_NAME))).containsEntry(RuntimeEnv.CUSTOM_LISTEN_PORT, "8080")
        .doesNotContainKey("GREETING");
    assertThat(state.configMaps()).extracting(c -> c.getMetadata().getName()).anyMatch(n -> n.startsWith("deb-code-"));
  }
}
