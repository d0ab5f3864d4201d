package dev.fc.operator.kube.bench;

import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.api.FunctionInstanceSpec;
import dev.fc.operator.api.FunctionInstanceStatus;
import dev.fc.operator.api.SpecDefaults;
import dev.fc.operator.api.FcRuntime;
import dev.fc.operator.desired.ConfigMapFactory;
import dev.fc.operator.api.ContentHash;
import dev.fc.operator.desired.DesiredState;
import dev.fc.operator.desired.FunctionPodFactory;
import dev.fc.operator.desired.HooksConfigured;
import dev.fc.operator.desired.InstancePod;
import dev.fc.operator.desired.InstanceSettings;
import dev.fc.operator.desired.RuntimeFiles;
import dev.fc.operator.desired.ServiceFactory;
import dev.fc.operator.reconciler.Backoff;
import dev.fc.operator.reconciler.InstanceFromPod;
import dev.fc.operator.reconciler.StatusComputer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;

/**
 * What the operator does for a function, done by a bare fabric8 client with no reads: the FunctionInstance, its
 * inline-code ConfigMap, its Service and its pod (the operator's own factories' objects, so both write the same
 * bytes), then its status (the operator's {@link StatusComputer}, written by server-side apply as the operator
 * does). One runtime ConfigMap per namespace, created once, as the operator shares one.
 */
final class BareClient {
  static final String FIELD_MANAGER = "fc-bare";

  private final KubernetesClient client;
  private final InstanceSettings settings = InstanceSettings.defaults();
  private final RuntimeFiles runtime = RuntimeFiles.load();
  private final String runtimeHash = ContentHash.ofFiles(runtime.python());
  private final SecureRandom random = new SecureRandom();
  private final Clock clock = Clock.systemUTC();

  BareClient(KubernetesClient client) {
    this.client = client;
  }

  /** The namespace's one runtime ConfigMap (the Python runtime's files, some 40 KB); returns its name. */
  String createRuntimeConfigMap(String namespace) {
    return client.resource(ConfigMapFactory.runtime(namespace, FcRuntime.PYTHON_3_10, runtime.python(), runtimeHash))
        .create().getMetadata().getName();
  }

  /**
   * Creates one function's objects and writes its status.
   *
   * @param runtimeConfigMap the namespace's runtime ConfigMap, or null to create one per function as today's
   *     operators before 0.2 did (-Dbench.bareRuntimePerFunction=true, to see what the shared one saves)
   */
  void create(FunctionInstance function, String runtimeConfigMap) {
    FunctionInstance fi = client.resource(function).create();
    FunctionInstanceSpec spec = SpecDefaults.apply(fi.getSpec());
    String runtimeName = runtimeConfigMap != null ? runtimeConfigMap
        : client.resource(new ConfigMapBuilder(ConfigMapFactory.runtime(fi.getMetadata().getNamespace(),
            FcRuntime.PYTHON_3_10, runtime.python(), runtimeHash)).editMetadata()
            .withName(fi.getMetadata().getName() + "-runtime-" + runtimeHash).endMetadata().build())
            .create().getMetadata().getName();
    ConfigMap code = client.resource(ConfigMapFactory.inlineCode(fi, spec.getCode().getInline())).create();
    Service service = client.resource(ServiceFactory.service(fi)).create();
    Pod template = FunctionPodFactory.pod(fi, spec, settings, runtimeName, code.getMetadata().getName());
    Pod pod = client.resource(InstancePod.issue(template, random)).create();
    DesiredState desired = new DesiredState(List.of(code), service, template, 1,
        HooksConfigured.of(spec.getInstanceLifecycleConfig()));
    FunctionInstanceStatus status = StatusComputer.compute(fi, null, desired, List.of(InstanceFromPod.read(pod)),
        Backoff.NONE, clock.instant());
    FunctionInstance fresh = new FunctionInstance();
    fresh.setMetadata(new ObjectMetaBuilder().withName(fi.getMetadata().getName())
        .withNamespace(fi.getMetadata().getNamespace()).build());
    fresh.setStatus(status);
    client.resource(fresh).subresource("status").patch(new PatchContext.Builder()
        .withPatchType(PatchType.SERVER_SIDE_APPLY).withFieldManager(FIELD_MANAGER).withForce(true).build(), fresh);
  }
}
