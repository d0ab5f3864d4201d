package dev.fc.operator.reconciler;

import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.desired.ConfigMapFactory;
import dev.fc.operator.desired.DesiredState;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The FunctionInstance's ConfigMaps and Service. ConfigMaps are immutable and named by their content's
 * hash. The function's own (its inline code) are created when missing, their data read from the API then
 * ({@link InlineCodeReader}), and deleted once neither the desired state nor any remaining pod uses them; the
 * runtime's, shared by the namespace's functions, are {@link SharedRuntimes}'. The Service is created when missing
 * and patched when its ports or selector drifted. Writes are plain creates, patches and deletes, which both a real
 * API server and the mock serve.
 */
public class OwnedResources {
  private final KubernetesClient client;
  private final EventRecorder events;
  private final InlineCodeReader code;
  private final SharedRuntimes sharedRuntimes;

  public OwnedResources(KubernetesClient client, EventRecorder events, Clock clock) {
    this.client = client;
    this.events = events;
    this.code = new InlineCodeReader(client);
    this.sharedRuntimes = new SharedRuntimes(client, clock);
  }

  /**
   * @param view the caches, for the shared runtime ConfigMap
   * @return a short description of each write, for the reconcile's log line
   */
  List<String> ensure(FunctionInstance fi, DesiredState desired, List<ConfigMap> existingConfigMaps,
      Service existingService, SharedRuntimeView view) {
    List<String> changes = new ArrayList<>();
    Set<String> existing = new HashSet<>();
    existingConfigMaps.forEach(cm -> existing.add(cm.getMetadata().getName()));
    for (ConfigMap configMap : desired.configMaps()) {
      if (ConfigMapFactory.isSharedRuntime(configMap)) {
        changes.addAll(sharedRuntimes.ensure(fi, configMap, view));
      } else if (!existing.contains(configMap.getMetadata().getName())) {
        Optional<ConfigMap> complete = ConfigMapFactory.hasData(configMap) ? Optional.of(configMap)
            : code.withData(fi, configMap);
        if (complete.isPresent()) {
          createIgnoringConflict(complete.get());
          changes.add("created ConfigMap " + configMap.getMetadata().getName());
        }
      }
    }
    Service service = desired.service();
    String uid = fi.getMetadata().getUid();
    if (existingService == null) {
      createIgnoringConflict(service);
      changes.add("created Service " + service.getMetadata().getName());
    } else if (!Ownership.controlledBy(existingService, uid)) {
      events.record(fi, EventReason.ServiceConflict, "Service " + service.getMetadata().getName()
          + " exists and is not owned by this FunctionInstance; it is left alone");
    } else if (drifted(existingService, service)) {
      client.services().inNamespace(service.getMetadata().getNamespace()).withName(service.getMetadata().getName())
          .edit(s -> {
            s.getSpec().setPorts(service.getSpec().getPorts());
            s.getSpec().setSelector(service.getSpec().getSelector());
            return s;
          });
      changes.add("patched Service " + service.getMetadata().getName());
    }
    return changes;
  }

  /**
   * Deletes the shared runtime ConfigMaps {@code fi} owns that no function wants and no pod mounts.
   *
   * @param wanted the shared runtime ConfigMaps this operator's runtimes give
   * @return whether some wait for pods to go: reconcile again after {@link SharedRuntimes#STALE_RECHECK}
   */
  boolean removeUnwantedRuntimes(FunctionInstance fi, List<ConfigMap> existingConfigMaps, Set<String> wanted,
      SharedRuntimeView view, List<String> changes) {
    return sharedRuntimes.removeUnwanted(fi, existingConfigMaps, wanted, view, changes);
  }

  /** Deletes owned ConfigMaps that neither the desired state nor any pod still mounts. */
  public List<String> removeUnused(FunctionInstance fi, DesiredState desired, List<ConfigMap> existingConfigMaps,
      List<Pod> pods) {
    Set<String> used = new HashSet<>();
    desired.configMaps().forEach(cm -> used.add(cm.getMetadata().getName()));
    for (Pod pod : pods) {
      List<Volume> volumes = pod.getSpec() == null ? null : pod.getSpec().getVolumes();
      if (volumes != null) {
        volumes.stream().filter(v -> v.getConfigMap() != null).forEach(v -> used.add(v.getConfigMap().getName()));
      }
    }
    List<String> changes = new ArrayList<>();
    for (ConfigMap configMap : existingConfigMaps) {
      String name = configMap.getMetadata().getName();
      if (!used.contains(name) && Ownership.controlledBy(configMap, fi.getMetadata().getUid())) {
        client.configMaps().inNamespace(configMap.getMetadata().getNamespace()).withName(name).delete();
        changes.add("deleted unused ConfigMap " + name);
      }
    }
    return changes;
  }

  private static boolean drifted(Service existing, Service desired) {
    if (!Objects.equals(existing.getSpec().getSelector(), desired.getSpec().getSelector())) {
      return true;
    }
    var have = existing.getSpec().getPorts();
    var want = desired.getSpec().getPorts();
    if (have == null || have.size() != want.size()) {
      return true;
    }
    for (int i = 0; i < want.size(); i++) {
      if (!Objects.equals(have.get(i).getPort(), want.get(i).getPort())
          || !Objects.equals(have.get(i).getTargetPort(), want.get(i).getTargetPort())
          || !Objects.equals(have.get(i).getName(), want.get(i).getName())) {
        return true;
      }
    }
    return false;
  }

  private void createIgnoringConflict(io.fabric8.kubernetes.api.model.HasMetadata object) {
    try {
      client.resource(object).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
    }
  }
}
