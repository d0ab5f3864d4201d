package dev.fc.operator.desired;

import dev.fc.operator.api.ContentHash;
import dev.fc.operator.api.FcRuntime;
import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.api.FunctionInstanceSpec;
import dev.fc.operator.api.SpecDefaults;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** FunctionInstance + operator configuration in, the objects it should own out. No I/O. */
public final class DesiredStateBuilder {
  private final InstanceSettings config;
  private final RuntimeFiles runtimeFiles;
  /** The runtimes' files never change in a process: hashed once, not on every reconcile. */
  private final String pythonHash;
  private final String nodeHash;

  public DesiredStateBuilder(InstanceSettings config, RuntimeFiles runtimeFiles) {
    this.config = config;
    this.runtimeFiles = runtimeFiles;
    this.pythonHash = ContentHash.ofFiles(runtimeFiles.python());
    this.nodeHash = ContentHash.ofFiles(runtimeFiles.node());
  }

  /** The shared runtime ConfigMap a function of {@code runtime} mounts. */
  public String runtimeConfigMapName(FcRuntime runtime) {
    return ConfigMapFactory.runtimeName(runtime, hash(runtime));
  }

  /** Every shared runtime ConfigMap this operator's runtimes give: any other is an older operator's. */
  public Set<String> runtimeConfigMapNames() {
    return Set.of(ConfigMapFactory.runtimeName(FcRuntime.NODEJS_20, nodeHash),
        ConfigMapFactory.runtimeName(FcRuntime.PYTHON_3_10, pythonHash));
  }

  private String hash(FcRuntime runtime) {
    return runtime.node() ? nodeHash : pythonHash;
  }

  /** The FunctionInstance must be valid ({@code SpecValidator} returned no error). */
  public DesiredState build(FunctionInstance fi) {
    FunctionInstanceSpec spec = SpecDefaults.apply(fi.getSpec());
    List<ConfigMap> configMaps = new ArrayList<>();
    ConfigMap runtime = ConfigMapFactory.runtime(fi.getMetadata().getNamespace(), spec.runtime(),
        runtimeFiles.of(spec.runtime()), hash(spec.runtime()));
    configMaps.add(runtime);
    String codeConfigMap = null;
    if (spec.getCode() != null && spec.getCode().hasInline()) {
      ConfigMap code = spec.getCode().inlineDropped()
          ? ConfigMapFactory.inlineCode(fi, spec.getCode().inlineDigest())
          : ConfigMapFactory.inlineCode(fi, spec.getCode().getInline());
      configMaps.add(code);
      codeConfigMap = code.getMetadata().getName();
    }
    return new DesiredState(
        List.copyOf(configMaps),
        ServiceFactory.service(fi),
        FunctionPodFactory.pod(fi, spec, config, runtime.getMetadata().getName(), codeConfigMap),
        SpecDefaults.instancesWithoutDemand(spec),
        HooksConfigured.of(spec.getInstanceLifecycleConfig()));
  }
}
