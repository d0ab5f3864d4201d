package dev.fc.operator.desired;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fc.operator.api.Code;
import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.api.FcRuntime;
import dev.fc.operator.contract.LifecycleEndpoints;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DesiredStateBuilderTest {
  private final DesiredStateBuilder builder = Fixtures.builder();

  private static Container function(Pod pod) {
    return pod.getSpec().getContainers().get(0);
  }

  private static Map<String, String> env(Pod pod) {
    return function(pod).getEnv().stream().filter(e -> e.getValue() != null)
        .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }

  @Test
  void initializerRunsThroughTheStartupProbeOnTheLifecyclePort() {
    Container c = function(builder.build(Fixtures.function("emoji")).podTemplate());
    assertThat(c.getStartupProbe().getHttpGet().getPath()).isEqualTo("/startup");
    assertThat(c.getStartupProbe().getHttpGet().getPort().getStrVal()).isEqualTo("lifecycle");
    // initializer timeout 10: the runtime holds a probe up to 10 + 10 s, the kubelet waits 2 s longer
    assertThat(c.getStartupProbe().getPeriodSeconds()).isEqualTo(1);
    assertThat(c.getStartupProbe().getTimeoutSeconds()).isEqualTo(22);
    assertThat(c.getStartupProbe().getFailureThreshold()).isEqualTo(18);
    assertThat(c.getStartupProbe().getInitialDelaySeconds()).isIn(null, 0);
    assertThat(c.getEnv()).filteredOn(e -> e.getName().equals("FC_STARTUP_PROBE_HOLD"))
        .extracting(EnvVar::getValue).containsExactly("20");
    assertThat(c.getReadinessProbe().getPeriodSeconds()).isEqualTo(1);
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/ready");
    assertThat(c.getPorts()).extracting(p -> p.getName() + "=" + p.getContainerPort())
        .containsExactly("invoke=9000", "lifecycle=9001");
  }

  @Test
  void preStopIsTheLifecycleHookAndBoundsTheGracePeriod() {
    Pod pod = builder.build(Fixtures.function("emoji")).podTemplate();
    var preStop = function(pod).getLifecycle().getPreStop().getHttpGet();
    assertThat(preStop.getPath()).isEqualTo("/pre-stop?token=" + LifecycleEndpoints.TOKEN_PLACEHOLDER);
    assertThat(preStop.getPort().getStrVal()).isEqualTo("lifecycle");
    // default invocation timeout 3 (drain) + PreStop 20 + 5
    assertThat(pod.getSpec().getTerminationGracePeriodSeconds()).isEqualTo(28L);
    assertThat(pod.getSpec().getRestartPolicy()).isEqualTo("Never");
  }

  @Test
  void theDesiredStateCarriesWhichHooksTheSpecConfiguresAndTheDefaultInstanceCount() {
    FunctionInstance both = Fixtures.function("emoji");
    assertThat(builder.build(both).hooks()).isEqualTo(new HooksConfigured(true, true));
    assertThat(builder.build(both).instances()).isEqualTo(1);
    FunctionInstance preStopOnly = Fixtures.function("emoji");
    preStopOnly.getSpec().getInstanceLifecycleConfig().setInitializer(null);
    preStopOnly.getSpec().setInstances(4);
    assertThat(builder.build(preStopOnly).hooks()).isEqualTo(new HooksConfigured(false, true));
    assertThat(builder.build(preStopOnly).instances()).isEqualTo(4);
    FunctionInstance initializerOnly = Fixtures.function("emoji");
    initializerOnly.getSpec().getInstanceLifecycleConfig().setPreStop(null);
    assertThat(builder.build(initializerOnly).hooks()).isEqualTo(new HooksConfigured(true, false));
    FunctionInstance none = Fixtures.function("emoji");
    none.getSpec().setInstanceLifecycleConfig(null);
    assertThat(builder.build(none).hooks()).isEqualTo(HooksConfigured.NONE);
  }

  @Test
  void anElasticFunctionWithoutDemandRunsItsMinInstancesAndItsBoundsDoNotRollThePods() {
    FunctionInstance fi = Fixtures.function("emoji");
    fi.getSpec().setInstances(5);
    String hash = builder.build(fi).templateHash();
    fi.getSpec().setIdleTimeout(60);
    assertThat(builder.build(fi).instances()).as("minInstances defaults to 0; spec.instances is ignored").isZero();
    fi.getSpec().setMinInstances(2);
    fi.getSpec().setMaxInstances(9);
    assertThat(builder.build(fi).instances()).isEqualTo(2);
    assertThat(builder.build(fi).templateHash()).as("the bounds are not in the pod").isEqualTo(hash);
  }

  @Test
  void serviceExposesTheInvocationPortOnly() {
    Service service = builder.build(Fixtures.function("emoji")).service();
    assertThat(service.getSpec().getPorts()).hasSize(1);
    assertThat(service.getSpec().getPorts().get(0).getPort()).isEqualTo(9000);
    assertThat(service.getSpec().getPorts().get(0).getTargetPort().getStrVal()).isEqualTo("invoke");
    assertThat(service.getSpec().getSelector())
        .containsEntry(Labels.FUNCTION, "emoji").containsEntry(Labels.COMPONENT, "instance");
  }

  @Test
  void podIsRestrictedAndGetsNoServiceAccountToken() {
    Pod pod = builder.build(Fixtures.function("emoji")).podTemplate();
    assertThat(pod.getSpec().getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSpec().getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    var sc = function(pod).getSecurityContext();
    assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
    assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(sc.getRunAsNonRoot()).isTrue();
  }

  @Test
  void podIsLabelledOwnedAndNamedByTemplateHash() {
    DesiredState desired = builder.build(Fixtures.function("emoji"));
    Pod pod = desired.podTemplate();
    assertThat(pod.getMetadata().getName()).isNull();
    assertThat(pod.getMetadata().getGenerateName()).isEqualTo("emoji-" + desired.templateHash() + "-");
    assertThat(pod.getMetadata().getLabels()).containsEntry(Labels.FUNCTION, "emoji")
        .containsEntry(Labels.TEMPLATE_HASH, desired.templateHash());
    var owner = pod.getMetadata().getOwnerReferences().get(0);
    assertThat(owner.getController()).isTrue();
    assertThat(owner.getKind()).isEqualTo("FunctionInstance");
    assertThat(owner.getUid()).isEqualTo("uid-emoji");
    assertThat(desired.configMaps()).filteredOn(cm -> !ConfigMapFactory.isSharedRuntime(cm)).singleElement()
        .satisfies(cm -> assertThat(cm.getMetadata().getOwnerReferences().get(0).getUid()).isEqualTo("uid-emoji"));
    assertThat(desired.configMaps()).filteredOn(ConfigMapFactory::isSharedRuntime).singleElement()
        .satisfies(cm -> {
          assertThat(cm.getMetadata().getName()).isEqualTo(builder.runtimeConfigMapName(FcRuntime.PYTHON_3_10));
          assertThat(cm.getMetadata().getOwnerReferences()).as("its owners are the reconciler's to choose").isEmpty();
        });
  }

  @Test
  void templateHashIsStableAndFollowsCodeAndConfiguration() {
    String hash = builder.build(Fixtures.function("emoji")).templateHash();
    assertThat(builder.build(Fixtures.function("emoji")).templateHash()).isEqualTo(hash);

    FunctionInstance newCode = Fixtures.function("emoji");
    newCode.getSpec().setCode(Code.inline(Map.of("index.py", "def handler(e, c):\n    return b'v2'\n")));
    assertThat(builder.build(newCode).templateHash()).isNotEqualTo(hash);

    FunctionInstance newMemory = Fixtures.function("emoji");
    newMemory.getSpec().setMemorySize(1024);
    assertThat(builder.build(newMemory).templateHash()).isNotEqualTo(hash);

    FunctionInstance scaled = Fixtures.function("emoji");
    scaled.getSpec().setInstances(5);
    assertThat(builder.build(scaled).templateHash()).as("scaling does not roll").isEqualTo(hash);
  }

  @Test
  void fcEnvironmentNamesAndDefaults() {
    Pod pod = builder.build(Fixtures.function("emoji")).podTemplate();
    assertThat(env(pod))
        .containsEntry("FC_FUNCTION_NAME", "emoji")
        .containsEntry("FC_FUNCTION_HANDLER", "index.handler")
        .containsEntry("FC_FUNCTION_MEMORY_SIZE", "512")
        .containsEntry("FC_TIMEOUT", "3")
        .containsEntry("FC_INITIALIZER_HANDLER", "index.initialize")
        .containsEntry("FC_INITIALIZATION_TIMEOUT", "10")
        .containsEntry("FC_PRESTOP_HANDLER", "index.pre_stop")
        .containsEntry("FC_PRESTOP_TIMEOUT", "20")
        .containsEntry("FC_REGION", "local")
        .containsEntry("FC_FUNC_CODE_PATH", "/code/")
        .containsEntry("PYTHONPATH", "/code:/code/python:/opt/python");
    EnvVar instanceId = function(pod).getEnv().stream()
        .filter(e -> e.getName().equals("FC_INSTANCE_ID")).findFirst().orElseThrow();
    assertThat(instanceId.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
    assertThat(function(pod).getImage()).isEqualTo("python:3.10-slim");
    assertThat(function(pod).getResources().getRequests().get("cpu").toString()).isEqualTo("350m");
    assertThat(function(pod).getResources().getLimits().get("memory").toString()).isEqualTo("512Mi");
  }

  @Test
  void absentHooksLeaveTheirVariablesOut() {
    FunctionInstance fi = Fixtures.function("plain");
    fi.getSpec().setInstanceLifecycleConfig(null);
    Pod pod = builder.build(fi).podTemplate();
    assertThat(env(pod)).doesNotContainKeys("FC_INITIALIZER_HANDLER", "FC_PRESTOP_HANDLER");
    assertThat(function(pod).getStartupProbe().getTimeoutSeconds()).isEqualTo(12);
    assertThat(env(pod)).containsEntry("FC_STARTUP_PROBE_HOLD", "10");
    assertThat(pod.getSpec().getTerminationGracePeriodSeconds()).isEqualTo(8L);
  }

  @Test
  void userVariablesComeAfterFcOnesAndMayReplacePythonPath() {
    FunctionInstance fi = Fixtures.function("emoji");
    fi.getSpec().setEnvironmentVariables(Map.of("PYTHONPATH", "/code/lib", "GREETING", "hi"));
    fi.getSpec().setEnv(List.of(new EnvVarBuilder().withName("DB_PASSWORD")
        .withNewValueFrom().withNewSecretKeyRef("password", "db", false).endValueFrom().build()));
    List<EnvVar> env = function(builder.build(fi).podTemplate()).getEnv();
    assertThat(env.stream().filter(e -> e.getName().equals("PYTHONPATH")).map(EnvVar::getValue))
        .containsExactly("/code/lib");
    assertThat(env.get(env.size() - 1).getName()).isEqualTo("DB_PASSWORD");
    assertThat(env.get(env.size() - 1).getValueFrom().getSecretKeyRef().getName()).isEqualTo("db");
  }

  @Test
  void inlineCodeGoesToAnImmutableHashedConfigMapWithFolders() {
    FunctionInstance fi = Fixtures.function("emoji");
    fi.getSpec().setCode(Code.inline(Map.of("index.py", "x = 1\n", "python/lib.py", "y = 2\n")));
    DesiredState desired = builder.build(fi);
    assertThat(desired.configMaps()).hasSize(2);
    ConfigMap code = desired.configMaps().get(1);
    assertThat(code.getMetadata().getName()).startsWith("emoji-code-");
    assertThat(code.getImmutable()).isTrue();
    assertThat(code.getData()).containsEntry("python..lib.py", "y = 2\n");
    Volume volume = desired.podTemplate().getSpec().getVolumes().stream()
        .filter(v -> v.getName().equals("fc-code")).findFirst().orElseThrow();
    assertThat(volume.getConfigMap().getName()).isEqualTo(code.getMetadata().getName());
    assertThat(volume.getConfigMap().getItems()).extracting(i -> i.getKey() + "->" + i.getPath())
        .containsExactly("index.py->index.py", "python..lib.py->python/lib.py");
    ConfigMap runtime = desired.configMaps().get(0);
    assertThat(runtime.getData()).isEqualTo(Fixtures.RUNTIME_FILES);
    assertThat(runtime.getImmutable()).isTrue();
  }

  @Test
  void configMapCodeIsMountedAsIs() {
    FunctionInstance fi = Fixtures.function("emoji");
    Code code = new Code();
    code.setConfigMap("my-code");
    fi.getSpec().setCode(code);
    DesiredState desired = builder.build(fi);
    assertThat(desired.configMaps()).hasSize(1);
    assertThat(desired.podTemplate().getSpec().getVolumes()).anySatisfy(v -> {
      assertThat(v.getName()).isEqualTo("fc-code");
      assertThat(v.getConfigMap().getName()).isEqualTo("my-code");
    });
    assertThat(desired.podTemplate().getSpec().getInitContainers()).isEmpty();
  }

  @Test
  void imageCodeIsCopiedByAnInitContainer() {
    FunctionInstance fi = Fixtures.function("emoji");
    Code code = new Code();
    code.setImage("registry.example.com/code:1");
    fi.getSpec().setCode(code);
    Pod pod = builder.build(fi).podTemplate();
    Container fetch = pod.getSpec().getInitContainers().get(0);
    assertThat(fetch.getImage()).isEqualTo("registry.example.com/code:1");
    assertThat(String.join(" ", fetch.getCommand())).contains("cp -R /code/. /fc-code/");
    assertThat(fetch.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(pod.getSpec().getVolumes()).anySatisfy(v -> {
      assertThat(v.getName()).isEqualTo("fc-code");
      assertThat(v.getEmptyDir()).isNotNull();
    });
  }

  @Test
  void runtimeImagesComeFromTheConfiguration() {
    FunctionInstance fi = Fixtures.function("emoji");
    fi.getSpec().setRuntime("python3.12");
    var config = new InstanceSettings(Map.of(FcRuntime.PYTHON_3_12, "mirror.local/python:3.12"),
        InstanceSettings.DEFAULT_REGION, "");
    Pod pod = new DesiredStateBuilder(config, RuntimeFiles.same(Fixtures.RUNTIME_FILES)).build(fi).podTemplate();
    assertThat(function(pod).getImage()).isEqualTo("mirror.local/python:3.12");
    assertThat(new DesiredStateBuilder(InstanceSettings.defaults(), RuntimeFiles.same(Fixtures.RUNTIME_FILES)).build(fi).podTemplate()
        .getSpec().getContainers().get(0).getImage()).isEqualTo("python:3.12-slim");
  }

  @Test
  void instancesDefaultToOneAndCountPods() {
    assertThat(builder.build(Fixtures.function("emoji")).allObjects()).filteredOn(o -> o instanceof Pod).hasSize(1);
    FunctionInstance fi = Fixtures.function("emoji");
    fi.getSpec().setInstances(0);
    assertThat(builder.build(fi).allObjects()).filteredOn(o -> o instanceof Pod).isEmpty();
  }
}
