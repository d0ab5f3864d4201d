package dev.fc.operator.desired;

import dev.fc.operator.api.Code;
import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.api.FunctionInstanceSpec;
import dev.fc.operator.contract.LifecycleEndpoints;
import dev.fc.operator.contract.RuntimeContainer;
import dev.fc.operator.contract.RuntimePaths;
import dev.fc.operator.contract.RuntimePorts;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.CapabilitiesBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * The pod of one instance, built against the runtime's contract ({@code dev.fc.operator.contract},
 * docs/runtime-contract.md): the Initializer through the startup probe,
 * PreStop as lifecycle.preStop, both on the lifecycle port the Service does not expose; timings from
 * {@link HookTimingPolicy}; Pod Security Standards "restricted".
 *
 * <p>The pod has {@code generateName} and no name, and holds {@link LifecycleEndpoints#TOKEN_PLACEHOLDER} in place of
 * the lifecycle port's secret: the operator names each instance and gives it its secret when it creates it
 * ({@link InstancePod}).
 * Its labels carry a hash of everything else in the template but its owner ({@link PodTemplateHash}), so a
 * stale pod is recognised by label, and {@code render} shows the hash the cluster's pods get.
 */
public final class FunctionPodFactory {
  public static final String FETCH_CODE_CONTAINER_NAME = "fetch-code";

  private static final String RUNTIME_VOLUME = "fc-runtime";
  private static final String CODE_VOLUME = "fc-code";
  private static final String TMP_VOLUME = "tmp";
  private static final String FETCH_TARGET = "/fc-code";
  /** The user's server's port in a custom runtime's pod: declared, never behind the Service. */
  public static final String CUSTOM_SERVER_PORT_NAME = "server";
  /** The adapter's own requests: a Python process of a few threads, next to the user's server. */
  static final String ADAPTER_CPU = "20m";
  static final String ADAPTER_MEMORY = "64Mi";

  private FunctionPodFactory() {}

  /**
   * @param spec the FunctionInstance's spec with defaults applied
   * @param codeConfigMap the inline-code ConfigMap's name, or null when the code is not inline
   */
  public static Pod pod(FunctionInstance fi, FunctionInstanceSpec spec, InstanceSettings config,
      String runtimeConfigMap, String codeConfigMap) {
    String name = fi.getMetadata().getName();
    HookTimings timings = HookTimingPolicy.forSpec(spec);
    Pod pod = new PodBuilder()
        .withNewMetadata()
        .withNamespace(fi.getMetadata().getNamespace())
        .withLabels(Labels.instanceSelector(name))
        .addToLabels(Labels.MANAGED_BY, Labels.MANAGER)
        .withOwnerReferences(Owners.controllerReference(fi))
        .endMetadata()
        .withNewSpec()
        .withRestartPolicy("Never")
        .withAutomountServiceAccountToken(false)
        .withEnableServiceLinks(false)
        .withTerminationGracePeriodSeconds(timings.terminationGracePeriodSeconds())
        .withSecurityContext(new PodSecurityContextBuilder()
            .withRunAsNonRoot(true)
            .withRunAsUser(RuntimeContainer.RUN_AS_USER)
            .withRunAsGroup(RuntimeContainer.RUN_AS_USER)
            .withFsGroup(RuntimeContainer.RUN_AS_USER)
            .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
            .build())
        .withInitContainers(fetchCodeContainers(spec.getCode()))
        .withContainers(containers(fi, spec, config, timings))
        .withVolumes(volumes(spec.getCode(), runtimeConfigMap, codeConfigMap))
        .endSpec()
        .build();
    String hash = PodTemplateHash.of(pod);
    pod.getMetadata().getLabels().put(Labels.TEMPLATE_HASH, hash);
    pod.getMetadata().setGenerateName(name + "-" + hash + "-");
    return pod;
  }

  private static List<Container> containers(FunctionInstance fi, FunctionInstanceSpec spec, InstanceSettings config,
      HookTimings timings) {
    if (!spec.runtime().custom()) {
      return List.of(functionContainer(fi, spec, config, timings));
    }
    CustomServer server = CustomServer.of(spec, config);
    return List.of(customServerContainer(fi, spec, config, server), adapterContainer(fi, spec, config, timings, server));
  }

  /**
   * A custom runtime's server: the user's program with the function's resources, its preStop a call of the
   * adapter's {@code /pre-stop} (by number: a hook's named port is looked up in its own container), so the kubelet
   * sends it SIGTERM only once its PreStop has run.
   */
  private static Container customServerContainer(FunctionInstance fi, FunctionInstanceSpec spec,
      InstanceSettings config, CustomServer server) {
    ContainerBuilder container = new ContainerBuilder()
        .withName(RuntimeContainer.NAME)
        .withImage(server.image())
        .withPorts(port(CUSTOM_SERVER_PORT_NAME, server.port()))
        .withEnv(FunctionEnvironment.customServer(fi, spec, config, server))
        .withResources(functionResources(spec))
        .withLifecycle(preStopHook(new IntOrString(RuntimePorts.LIFECYCLE)))
        .withTerminationMessagePolicy("FallbackToLogsOnError")
        .withSecurityContext(restrictedContainer(server.runAsUser()));
    if (!server.command().isEmpty()) {
      container.withCommand(server.command());
    }
    if (!server.command().isEmpty() || !server.args().isEmpty()) {
      container.withArgs(server.args());
    }
    if (server.mountsCode()) {
      container.withWorkingDir(RuntimePaths.CODE_DIR)
          .addToVolumeMounts(mount(CODE_VOLUME, RuntimePaths.CODE_DIR, true));
    }
    return container.addToVolumeMounts(mount(TMP_VOLUME, RuntimePaths.SCRATCH_DIR, false)).build();
  }

  /** A custom runtime's adapter: the contract's container, in front of the user's server. */
  private static Container adapterContainer(FunctionInstance fi, FunctionInstanceSpec spec, InstanceSettings config,
      HookTimings timings, CustomServer server) {
    return new ContainerBuilder()
        .withName(RuntimeContainer.ADAPTER_NAME)
        .withImage(config.adapterImage())
        .withCommand(RuntimeContainer.ADAPTER_COMMAND)
        .withWorkingDir(RuntimePaths.SCRATCH_DIR)
        .withPorts(port(RuntimePorts.INVOKE_NAME, RuntimePorts.ADAPTER_INVOKE),
            port(RuntimePorts.LIFECYCLE_NAME, RuntimePorts.LIFECYCLE))
        .withEnv(FunctionEnvironment.adapter(fi, spec, config, timings, server))
        .withResources(new ResourceRequirementsBuilder()
            .addToRequests("cpu", new Quantity(ADAPTER_CPU))
            .addToRequests("memory", new Quantity(ADAPTER_MEMORY))
            .addToLimits("memory", new Quantity(ADAPTER_MEMORY))
            .build())
        .withStartupProbe(lifecycleProbe(LifecycleEndpoints.STARTUP, timings.startup()))
        .withReadinessProbe(lifecycleProbe(LifecycleEndpoints.READY, timings.readiness()))
        .withLifecycle(preStopHook())
        .withTerminationMessagePath(RuntimePaths.TERMINATION_MESSAGE)
        .withTerminationMessagePolicy("FallbackToLogsOnError")
        .withSecurityContext(restrictedContainer())
        .withVolumeMounts(
            mount(RUNTIME_VOLUME, RuntimePaths.RUNTIME_DIR, true),
            mount(TMP_VOLUME, RuntimePaths.SCRATCH_DIR, false))
        .build();
  }

  /** The container's own lifecycle port, by name. */
  private static io.fabric8.kubernetes.api.model.Lifecycle preStopHook() {
    return preStopHook(new IntOrString(RuntimePorts.LIFECYCLE_NAME));
  }

  /** The preStop hook: GET /pre-stop with the pod's secret on {@code port} (a name, or a number in the pod). */
  private static io.fabric8.kubernetes.api.model.Lifecycle preStopHook(IntOrString port) {
    return new io.fabric8.kubernetes.api.model.LifecycleBuilder()
        .withNewPreStop()
        .withNewHttpGet()
        .withPath(LifecycleToken.templatePath(LifecycleEndpoints.PRE_STOP))
        .withPort(port)
        .withHttpHeaders(LifecycleToken.templateHeaders())
        .endHttpGet()
        .endPreStop()
        .build();
  }

  private static io.fabric8.kubernetes.api.model.ResourceRequirements functionResources(FunctionInstanceSpec spec) {
    return new ResourceRequirementsBuilder()
        .addToRequests("cpu", cpu(spec.getCpu()))
        .addToRequests("memory", new Quantity(spec.getMemorySize() + "Mi"))
        .addToLimits("memory", new Quantity(spec.getMemorySize() + "Mi"))
        .build();
  }

  private static Container functionContainer(FunctionInstance fi, FunctionInstanceSpec spec, InstanceSettings config,
      HookTimings timings) {
    return new ContainerBuilder()
        .withName(RuntimeContainer.NAME)
        .withImage(config.imageFor(spec.runtime()))
        .withCommand(spec.runtime().node() ? RuntimeContainer.NODE_COMMAND : RuntimeContainer.COMMAND)
        .withWorkingDir(RuntimePaths.CODE_DIR)
        .withPorts(port(RuntimePorts.INVOKE_NAME, RuntimePorts.INVOKE),
            port(RuntimePorts.LIFECYCLE_NAME, RuntimePorts.LIFECYCLE))
        .withEnv(FunctionEnvironment.of(fi, spec, config, timings))
        .withResources(functionResources(spec))
        .withStartupProbe(lifecycleProbe(LifecycleEndpoints.STARTUP, timings.startup()))
        .withReadinessProbe(lifecycleProbe(LifecycleEndpoints.READY, timings.readiness()))
        .withLifecycle(preStopHook())
        .withTerminationMessagePath(RuntimePaths.TERMINATION_MESSAGE)
        .withTerminationMessagePolicy("FallbackToLogsOnError")
        .withSecurityContext(restrictedContainer())
        .withVolumeMounts(
            mount(RUNTIME_VOLUME, RuntimePaths.RUNTIME_DIR, true),
            mount(CODE_VOLUME, RuntimePaths.CODE_DIR, true),
            mount(TMP_VOLUME, RuntimePaths.SCRATCH_DIR, false))
        .build();
  }

  /** An image source needs an init container that copies the image's /code into the shared volume. */
  private static List<Container> fetchCodeContainers(Code code) {
    if (code == null || code.getImage() == null) {
      return List.of();
    }
    return List.of(new ContainerBuilder()
        .withName(FETCH_CODE_CONTAINER_NAME)
        .withImage(code.getImage())
        .withCommand("sh", "-c", "cp -R " + RuntimePaths.CODE_DIR + "/. " + FETCH_TARGET + "/")
        .withResources(new ResourceRequirementsBuilder()
            .addToRequests("cpu", new Quantity("50m"))
            .addToRequests("memory", new Quantity("64Mi"))
            .addToLimits("memory", new Quantity("256Mi"))
            .build())
        .withSecurityContext(restrictedContainer())
        .withVolumeMounts(mount(CODE_VOLUME, FETCH_TARGET, false))
        .build());
  }

  private static List<Volume> volumes(Code code, String runtimeConfigMap, String codeConfigMap) {
    List<Volume> volumes = new ArrayList<>();
    volumes.add(new VolumeBuilder()
        .withName(RUNTIME_VOLUME)
        .withNewConfigMap().withName(runtimeConfigMap).withDefaultMode(0444).endConfigMap()
        .build());
    if (code != null) {
      volumes.add(codeVolume(code, codeConfigMap));
    }
    volumes.add(new VolumeBuilder().withName(TMP_VOLUME).withNewEmptyDir().endEmptyDir().build());
    return volumes;
  }

  /** The code at /code; a custom container has none (its image is its code). */
  private static Volume codeVolume(Code code, String codeConfigMap) {
    VolumeBuilder codeVolume = new VolumeBuilder().withName(CODE_VOLUME);
    if (code.hasInline()) {
      codeVolume.withNewConfigMap()
          .withName(codeConfigMap)
          .withItems(ConfigMapFactory.inlineCodeItems(code.inlineDigest()))
          .withDefaultMode(0444)
          .endConfigMap();
    } else if (code.getConfigMap() != null) {
      codeVolume.withNewConfigMap().withName(code.getConfigMap()).withDefaultMode(0444).endConfigMap();
    } else {
      codeVolume.withNewEmptyDir().endEmptyDir();
    }
    return codeVolume.build();
  }

  private static Probe lifecycleProbe(String path, HookTimings.ProbeTiming timing) {
    return new ProbeBuilder()
        .withNewHttpGet().withPath(path).withPort(new IntOrString(RuntimePorts.LIFECYCLE_NAME))
        .withHttpHeaders(LifecycleToken.templateHeaders()).endHttpGet()
        .withInitialDelaySeconds(0)
        .withPeriodSeconds(timing.periodSeconds())
        .withTimeoutSeconds(timing.timeoutSeconds())
        .withFailureThreshold(timing.failureThreshold())
        .withSuccessThreshold(1)
        .build();
  }

  private static SecurityContext restrictedContainer() {
    return restrictedContainer(RuntimeContainer.RUN_AS_USER);
  }

  /** Pod Security Standards "restricted"; a user id other than the pod's is set on the container. */
  private static SecurityContext restrictedContainer(long runAsUser) {
    Capabilities dropAll = new CapabilitiesBuilder().withDrop("ALL").build();
    return new SecurityContextBuilder()
        .withRunAsUser(runAsUser == RuntimeContainer.RUN_AS_USER ? null : runAsUser)
        .withAllowPrivilegeEscalation(false)
        .withReadOnlyRootFilesystem(true)
        .withRunAsNonRoot(true)
        .withCapabilities(dropAll)
        .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
        .build();
  }

  private static ContainerPort port(String name, int number) {
    return new ContainerPortBuilder().withName(name).withContainerPort(number).withProtocol("TCP").build();
  }

  private static VolumeMount mount(String volume, String path, boolean readOnly) {
    return new VolumeMountBuilder().withName(volume).withMountPath(path).withReadOnly(readOnly).build();
  }

  /** Millicores, so 0.35 becomes "350m" as kubectl would show it. */
  static Quantity cpu(double cores) {
    long millis = new BigDecimal(Double.toString(cores)).movePointRight(3).longValue();
    return new Quantity(millis + "m");
  }
}
