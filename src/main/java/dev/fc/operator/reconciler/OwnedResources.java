package dev.fc.operator.reconciler;

import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.desired.DesiredState;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The FunctionInstance's ConfigMaps and Service. ConfigMaps are immutable and named by their content's
 * hash: they are created when missing and deleted once neither the desired state nor any remaining pod
 * uses them. The Service is created when missing and patched when its ports or selector drifted.
 * Writes are plain creates, JSON patches and deletes, which both a real API server and the mock serve.
 */
public class OwnedResources {
  private final KubernetesClient client;
  private final EventRecorder events;

  public OwnedResources(KubernetesClient client, EventRecorder events) {
    this.client = client;
    this.events = events;
  }

  /** @return a short description of each write, for the reconcile's log line */
  public List<String> ensure(FunctionInstance fi, DesiredState desired, List<ConfigMap> existingConfigMaps,
      Service existingService) {
    List<String> changes = new ArrayList<>();
    Set<String> existing = new HashSet<>();
    existingConfigMaps.forEach(cm -> existing.add(cm.getMetadata().getName()));
    for (ConfigMap configMap : desired.configMaps()) {
      if (!existing.contains(configMap.getMetadata().getName())) {
        createIgnoringConflict(configMap);
        changes.add("created ConfigMap " + configMap.getMetadata().getName());
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
