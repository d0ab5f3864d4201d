package dev.fc.operator.reconciler;

import dev.fc.operator.api.FunctionInstance;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import java.util.List;

/**
 * What the operator's caches keep of each kind: exactly what {@link InstanceObserver},
 * {@link OwnedResources} and the reconciler read. Everything else (managedFields, annotations, pod specs,
 * ConfigMap data — each runtime ConfigMap holds some 40 KB of Python) is dropped.
 */
public final class CachePruning {
  private CachePruning() {}

  /** Identity, ownership and time: what every cached object keeps. Unset collections stay null. */
  static ObjectMeta metadata(ObjectMeta meta, boolean keepLabels) {
    ObjectMeta pruned = new ObjectMeta();
    pruned.setName(meta.getName());
    pruned.setNamespace(meta.getNamespace());
    pruned.setUid(meta.getUid());
    pruned.setResourceVersion(meta.getResourceVersion());
    pruned.setGeneration(meta.getGeneration());
    pruned.setCreationTimestamp(meta.getCreationTimestamp());
    pruned.setDeletionTimestamp(meta.getDeletionTimestamp());
    pruned.setLabels(keepLabels ? meta.getLabels() : null);
    pruned.setOwnerReferences(meta.getOwnerReferences());
    pruned.setAnnotations(null);
    pruned.setFinalizers(null);
    pruned.setManagedFields(null);
    return pruned;
  }

  /** Metadata, the ConfigMap volumes' names, and the status the observer reads. */
  public static Pod pod(Pod pod) {
    PodBuilder pruned = new PodBuilder().withMetadata(metadata(pod.getMetadata(), true));
    if (pod.getSpec() != null && pod.getSpec().getVolumes() != null) {
      List<Volume> configMapVolumes = pod.getSpec().getVolumes().stream()
          .filter(v -> v.getConfigMap() != null)
          .map(v -> new VolumeBuilder().withName(v.getName()).withNewConfigMap()
              .withName(v.getConfigMap().getName()).endConfigMap().build())
          .toList();
      pruned.withNewSpec().withVolumes(configMapVolumes).endSpec();
    }
    PodStatus status = pod.getStatus();
    if (status != null) {
      pruned.withNewStatus()
          .withPhase(status.getPhase())
          .withMessage(status.getMessage())
          .withConditions(status.getConditions() == null ? List.of() : status.getConditions().stream()
              .filter(c -> "Ready".equals(c.getType())).toList())
          .withContainerStatuses(status.getContainerStatuses() == null ? List.of()
              : status.getContainerStatuses().stream().map(CachePruning::containerStatus).toList())
          .endStatus();
    }
    return pruned.build();
  }

  private static ContainerStatus containerStatus(ContainerStatus status) {
    var state = status.getState();
    ContainerStateBuilder prunedState = new ContainerStateBuilder();
    if (state != null && state.getRunning() != null) {
      prunedState.withNewRunning().withStartedAt(state.getRunning().getStartedAt()).endRunning();
    }
    if (state != null && state.getTerminated() != null) {
      prunedState.withNewTerminated()
          .withExitCode(state.getTerminated().getExitCode())
          .withMessage(state.getTerminated().getMessage())
          .endTerminated();
    }
    return new ContainerStatusBuilder()
        .withName(status.getName())
        .withStarted(status.getStarted())
        .withReady(status.getReady())
        .withState(prunedState.build())
        .build();
  }

  /** Names and owners only: ConfigMaps are immutable and named by their content. */
  public static ConfigMap configMap(ConfigMap configMap) {
    return new ConfigMapBuilder().withMetadata(metadata(configMap.getMetadata(), false)).build();
  }

  /** Metadata, selector and ports: what drift detection compares. */
  public static Service service(Service service) {
    ServiceBuilder pruned = new ServiceBuilder().withMetadata(metadata(service.getMetadata(), false));
    if (service.getSpec() != null) {
      pruned.withNewSpec()
          .withSelector(service.getSpec().getSelector())
          .withPorts(service.getSpec().getPorts())
          .endSpec();
    }
    return pruned.build();
  }

  /**
   * The whole resource but its managedFields and annotations, which nothing reads (after
   * {@code kubectl apply}, an annotation holds a second copy of the whole spec, inline code included).
   */
  public static FunctionInstance functionInstance(FunctionInstance fi) {
    if (fi.getMetadata() != null) {
      fi.getMetadata().setManagedFields(null);
      fi.getMetadata().setAnnotations(null);
    }
    return fi;
  }
}
